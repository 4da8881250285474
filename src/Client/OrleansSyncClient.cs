using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace OrleansSync;

/// <summary>
/// How a client finds an OrleansSync cluster: the ids every silo uses, and either PostgreSQL membership (the
/// cluster's connection string), explicit gateway endpoints, or the local silo's gateway port.
/// </summary>
public sealed class OrleansSyncClientOptions
{
    /// <summary>Rows are keyed by it: must match the silos' <c>OrleansSync:ServiceId</c>.</summary>
    public string ServiceId { get; set; } = "orleanssync";

    public string ClusterId { get; set; } = "orleanssync";

    /// <summary>Set: discover gateways from the cluster's PostgreSQL membership table.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Set (and no PostgreSQL): connect to these gateways.</summary>
    public IList<IPEndPoint> Gateways { get; } = [];

    /// <summary>Otherwise: the gateway port of the silo on this host.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>From the settings the silo reads: <c>ConnectionStrings:Postgres</c> and <c>OrleansSync:ServiceId|ClusterId|GatewayPort</c>.</summary>
    public static OrleansSyncClientOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("OrleansSync");
        return new OrleansSyncClientOptions
        {
            ServiceId = section["ServiceId"] ?? "orleanssync",
            ClusterId = section["ClusterId"] ?? "orleanssync",
            PostgresConnectionString = configuration.GetConnectionString("Postgres") is { Length: > 0 } postgres ? postgres : null,
            GatewayPort = section.GetValue("GatewayPort", 30000),
        };
    }
}

public static class OrleansSyncClientBuilderExtensions
{
    /// <summary>Connects this Orleans client to an OrleansSync cluster.</summary>
    public static IClientBuilder UseOrleansSync(this IClientBuilder client, OrleansSyncClientOptions options)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = options.ServiceId;
            o.ClusterId = options.ClusterId;
        });
        if (options.PostgresConnectionString is { } postgres)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = postgres;
            });
        }
        else if (options.Gateways.Count > 0)
        {
            client.UseStaticClustering([.. options.Gateways]);
        }
        else
        {
            client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
        }
        return client;
    }

    public static IClientBuilder UseOrleansSync(this IClientBuilder client, IConfiguration configuration) =>
        client.UseOrleansSync(OrleansSyncClientOptions.From(configuration));
}

public static class OrleansSyncHostBuilderExtensions
{
    /// <summary>
    /// Makes this host an Orleans client of an OrleansSync cluster, with the ids the silos use. Where it connects comes
    /// from the settings the silo reads (<c>ConnectionStrings:Postgres</c> → PostgreSQL membership; otherwise
    /// <c>OrleansSync:GatewayPort</c> on localhost, 30000 by default), then from <paramref name="configure"/>
    /// (for example explicit gateways: <c>options.Gateways.Add(...)</c>).
    /// </summary>
    public static IHostApplicationBuilder UseOrleansSyncClient(this IHostApplicationBuilder builder, Action<OrleansSyncClientOptions>? configure = null)
    {
        var options = OrleansSyncClientOptions.From(builder.Configuration);
        configure?.Invoke(options);
        builder.UseOrleansClient(client => client.UseOrleansSync(options));
        return builder;
    }
}
