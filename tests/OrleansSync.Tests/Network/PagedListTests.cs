using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.Tests.Cluster;
using Xunit;

namespace OrleansSync.Tests.Network;

/// <summary>
/// Lists that grow with the network are kept in pages of bounded rows: a cell's readers, a premise's cells, a machine
/// shard's propagators. Each list here takes several pages, and works across deactivation (pages reload).
/// </summary>
public sealed class PagedListTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];

    private PropagatorNetwork Net => new(fixture.Cluster.Client, _prefix);

    private string C(string name) => $"{_prefix}.{name}";

    [Fact]
    public async Task A_cell_read_by_more_propagators_than_a_page_holds_wakes_them_all_after_reloading()
    {
        const int readers = 600;
        for (var i = 0; i < readers; i += 50)
            await Task.WhenAll(Enumerable.Range(i, 50).Select(j => Net.Primitive("A", BuiltInPropagators.Identity, C("hub"), C($"out{j}"))));
        Assert.Equal(readers, (await Net.Cell(C("hub")).GetNeighbors()).Count);

        await fixture.Cluster.Cluster.DeactivateAsync(Net.Cell(C("hub")));
        await Net.Tell(C("hub"), new MaxValue(7));
        await Net.WaitForQuiescence(Timeout);
        for (var j = 0; j < readers; j++) Assert.Equal(new MaxValue(7), await Net.Strongest(C($"out{j}")));
        Assert.Equal(readers, (await Net.Cell(C("hub")).GetNeighbors()).Count);
    }

    [Fact]
    public async Task A_premise_of_more_cells_than_a_page_holds_reaches_them_all()
    {
        const int cells = 600;
        var premise = C("premise");
        for (var i = 0; i < cells; i += 50)
            await Task.WhenAll(Enumerable.Range(i, 50).Select(j => Net.Tell(C($"s{j}"), Supported.By(new NumberValue(j), premise))));

        await fixture.Cluster.Cluster.DeactivateAsync(Net.Premise(premise));
        await Net.KickOut(premise);
        await Net.WaitForQuiescence(Timeout);
        for (var j = 0; j < cells; j++) Assert.True((await Net.Strongest(C($"s{j}"))).IsNothing, $"s{j} still believes the premise");

        await Net.BringIn(premise);
        await Net.WaitForQuiescence(Timeout);
        for (var j = 0; j < cells; j++) Assert.Equal(Supported.By(new NumberValue(j), premise), await Net.Strongest(C($"s{j}")));
    }

    [Fact]
    public async Task A_machine_shard_keeps_its_propagators_in_pages_and_counts_them()
    {
        // Ids that all fall in one shard: more than two pages' worth.
        var machine = $"m{_prefix}";
        var ids = Enumerable.Range(0, 100_000).Select(i => $"{machine}/p{i}").Where(id => MachineShards.Of(id) == 3).Take(300).ToArray();
        var shard = fixture.Cluster.Client.GetGrain<IMachineShardGrain>(MachineShards.Key(machine, 3));
        var pages = new Dictionary<string, int>();
        foreach (var id in ids) pages[id] = await shard.Register(new PropagatorSpec(id, "add", [C("x")], [C("y")], []));
        Assert.True(await shard.GetPageCount() >= 3);
        // Registering again replaces, even after the shard was deactivated (only its last page is loaded then).
        await fixture.Cluster.Cluster.DeactivateAsync(shard);
        await shard.Register(new PropagatorSpec(ids[0], "add", [C("x")], [C("z")], []));
        Assert.Equal(300, await shard.GetCount());

        await shard.Unregister(ids[1], pages[ids[1]]);
        await shard.Unregister(ids[2], null);
        await fixture.Cluster.Cluster.DeactivateAsync(shard);
        Assert.Equal(298, await shard.GetCount());

        var registry = Net.Registry;
        var listed = (await registry.GetPropagators(machine)).Select(p => p.Id).ToHashSet();
        Assert.Equal(ids.Except([ids[1], ids[2]]).ToHashSet(), listed);
        Assert.Equal([C("z")], (await registry.GetPropagator(ids[0]))!.Outputs);
        Assert.Equal(10, (await registry.GetPropagators(machine, 10)).Count);
    }
}
