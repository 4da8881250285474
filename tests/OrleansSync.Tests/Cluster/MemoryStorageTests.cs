using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Silo.Hosting;
using Xunit;

namespace OrleansSync.Tests.Cluster;

/// <summary>With in-memory storage (<c>OrleansSync:Storage=Memory</c>) cells come back from storage as they went in.</summary>
public sealed class MemoryStorageTests
{
    [Fact]
    public async Task A_cell_holding_supported_values_reactivates()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansSyncGrains(new SiloSettings { Storage = StorageKind.Memory, MachineId = "M" }));
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var cell = cluster.Client.GetGrain<ICellGrain>("supported");
        var content = Tms.Of(Supported.By(new Interval(44.5, 48.9), "shadows"), Supported.By(new Interval(41.1, 47.2), "fall-time"));
        await cell.Merge(content);
        await cell.Describe("building height", CellKind.Value);
        await cluster.DeactivateAsync(cell);

        Assert.Equal(content, await cell.GetContent());
        Assert.Equal("building height", (await cell.GetMetadata()).Name);
        Assert.Equal(new Interval(44.5, 47.2), ((Supported)await cell.GetStrongest()).Value);
    }
}
