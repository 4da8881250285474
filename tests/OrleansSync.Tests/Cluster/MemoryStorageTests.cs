using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansSync.Cells;
using OrleansSync.Gun;
using OrleansSync.Lattice;
using OrleansSync.Silo.Hosting;
using Xunit;

namespace OrleansSync.Tests.Cluster;

/// <summary>With in-memory storage (<c>OrleansSync:Storage=Memory</c>) cells and Gun nodes come back from storage as they went in.</summary>
public sealed class MemoryStorageTests
{
    private static async Task<InProcessTestCluster> StartCluster()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansSyncGrains(new SiloSettings { Storage = StorageKind.Memory, MachineId = "M" }));
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    [Fact]
    public async Task A_cell_holding_supported_values_reactivates()
    {
        await using var cluster = await StartCluster();

        var cell = cluster.Client.GetGrain<ICellGrain>("supported");
        var content = Tms.Of(Supported.By(new Interval(44.5, 48.9), "shadows"), Supported.By(new Interval(41.1, 47.2), "fall-time"));
        await cell.Merge(content);
        await cell.Describe("building height", CellKind.Value);
        await cluster.DeactivateAsync(cell);

        Assert.Equal(content, await cell.GetContent());
        Assert.Equal("building height", (await cell.GetMetadata()).Name);
        Assert.Equal(new Interval(44.5, 47.2), ((Supported)await cell.GetStrongest()).Value);
    }

    [Fact]
    public async Task A_put_to_an_idle_stored_gun_node_merges_with_what_is_stored()
    {
        await using var cluster = await StartCluster();

        // The node is not read on activation; memory storage refuses its first write by the ETag as SQLite does.
        var state = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        var node = cluster.Client.GetGrain<IGunNodeGrain>("memory/node");
        await node.Put(new GunNodeDelta("memory/node", new Dictionary<string, GunField> { ["a"] = new("\"one\"", state) }));
        await cluster.DeactivateAsync(node);
        Assert.Equal(["b"], (await node.Put(new GunNodeDelta("memory/node", new Dictionary<string, GunField> { ["b"] = new("\"two\"", state) }))).Accepted);

        Assert.Equal(["a", "b"], (await node.Get())!.Fields.Keys.Order());
    }
}
