using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansSync.TestSupport;

/// <summary>Orleans clients for silos run as processes: one gateway on localhost, or PostgreSQL membership.</summary>
public sealed class OrleansClient : IAsyncDisposable
{
    private readonly IHost _host;

    private OrleansClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static Task<OrleansClient> ConnectLocalhostAsync(int gatewayPort, string serviceId = "orleanssync", string clusterId = "orleanssync") =>
        StartAsync(new OrleansSyncClientOptions { GatewayPort = gatewayPort, ServiceId = serviceId, ClusterId = clusterId });

    public static Task<OrleansClient> ConnectPostgresAsync(string connectionString, string serviceId = "orleanssync", string clusterId = "orleanssync") =>
        StartAsync(new OrleansSyncClientOptions { PostgresConnectionString = connectionString, ServiceId = serviceId, ClusterId = clusterId });

    /// <summary>Connected as an application connects (<c>UseOrleansSync</c>).</summary>
    private static async Task<OrleansClient> StartAsync(OrleansSyncClientOptions options)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseOrleansSync(options));
        var host = builder.Build();
        await host.StartAsync();
        return new OrleansClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception) { /* the silo may already be gone: that is what some tests do */ }
        _host.Dispose();
    }
}
