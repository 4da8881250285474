namespace OrleansSync.GunGateway.Hosting;

/// <summary>
/// How the gateway reaches the cluster, from the same settings the silo reads: a PostgreSQL connection
/// string (<c>ConnectionStrings:Postgres</c>) means AdoNet clustering, otherwise the local silo's gateway port.
/// </summary>
public static class ClusterConnection
{
    public static IClientBuilder Configure(IClientBuilder client, IConfiguration configuration) => client.UseOrleansSync(configuration);
}
