using Orleans.Configuration;

namespace OrleansSync.GunGateway.Hosting;

/// <summary>
/// How the gateway reaches the cluster, from the same settings the silo reads: a PostgreSQL connection
/// string (<c>ConnectionStrings:Postgres</c>) means AdoNet clustering, otherwise the local silo's gateway port.
/// </summary>
public static class ClusterConnection
{
    public static IClientBuilder Configure(IClientBuilder client, IConfiguration configuration)
    {
        var section = configuration.GetSection("OrleansSync");
        var serviceId = section["ServiceId"] ?? "orleanssync";
        var clusterId = section["ClusterId"] ?? "orleanssync";
        var postgres = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = serviceId;
                o.ClusterId = clusterId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = postgres;
            });
        }
        else
        {
            client.UseLocalhostClustering(section.GetValue("GatewayPort", 30000), serviceId, clusterId);
        }
        return client;
    }
}
