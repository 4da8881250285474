using Microsoft.Extensions.DependencyInjection;
using OrleansSync.Grains.Gun;
using OrleansSync.Tests.Cluster;
using OrleansSync.TestSupport;

namespace OrleansSync.Tests.Gun;

/// <summary>A 2-silo cluster on SQLite with one gateway in front (small frame and put limits, so limit tests are quick).</summary>
public sealed class GunGatewayFixture : Xunit.IAsyncLifetime
{
    public const int MaxFrameBytes = 64 * 1024;
    public const int MaxSoulsPerPut = 100;
    public const int MaxPendingWrites = 5;

    public SqliteCluster Cluster { get; private set; } = null!;

    public GatewayServer Gateway { get; set; } = null!;

    public static Dictionary<string, string?> Settings => new()
    {
        ["OrleansSync:Gateway:MaxFrameBytes"] = MaxFrameBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OrleansSync:Gateway:MaxSoulsPerPut"] = MaxSoulsPerPut.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task InitializeAsync()
    {
        Cluster = await SqliteCluster.StartAsync(2, configure: (_, silo) => silo.Services.Configure<GunNodeOptions>(o => o.MaxPendingWrites = MaxPendingWrites));
        Gateway = await GatewayServer.StartAsync(Cluster.Client, FreePort.Next(), Settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
