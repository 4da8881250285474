using Microsoft.Extensions.DependencyInjection;
using Xunit;
using OrleansSync.Cells;
using OrleansSync.Compaction;
using OrleansSync.Grains.Storage;
using OrleansSync.Gun;
using OrleansSync.Lattice;
using OrleansSync.Propagators;
using OrleansSync.Tests.Cluster;
using OrleansSync.TestSupport;
using P = OrleansSync.Propagation.BuiltInPropagators;

namespace OrleansSync.Tests.Storage;

/// <summary>
/// Bounded growth on a 2-silo SQLite cluster: compaction archives what is unreachable from the roots (and
/// nothing else), archived cells come back when touched, retentions delete archived cells, Gun tombstones and
/// disposed propagators, and deleting removes rows. Rows are checked in the SQLite table itself.
/// </summary>
public sealed class CompactionTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private static readonly CompactionRequest KeepEverythingOld = CompactionRequest.Default;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];

    private PropagatorNetwork Net => new(fixture.Cluster.Client);

    private string C(string name) => $"{_prefix}.{name}";

    private IStoredStates Stored => fixture.Cluster.Cluster.GetSiloServiceProvider(fixture.Cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<IStoredStates>();

    [Fact]
    public async Task Unreachable_cells_move_to_the_archive_and_come_back_when_touched()
    {
        await Net.Cell(C("named")).Describe("a named cell", CellKind.Value);
        await Net.Tell(C("root"), CarriedCell.Map(("a", C("child"))));
        await Net.Cell(C("root")).Describe("root", CellKind.Carried);
        await Net.Tell(C("child"), CarriedCell.Map(("b", C("grandchild"))));
        await Net.Tell(C("grandchild"), new NumberValue(1));
        await Net.Primitive("A", P.Identity, C("in"), C("out"));
        await Net.Tell(C("in"), new NumberValue(2));
        await Net.Tell(C("garbage1"), new NumberValue(3));
        await Net.Tell(C("garbage2"), CarriedCell.Map(("x", C("garbage3"))));
        await Net.Tell(C("garbage3"), new NumberValue(4));
        await Net.WaitForQuiescence(Timeout);

        var summary = await Compact(KeepEverythingOld);

        Assert.True(summary.Archived >= 3, $"archived {summary.Archived}");
        var live = await Keys("cell");
        var archived = await Keys("cell-archive");
        foreach (var kept in new[] { "named", "root", "child", "grandchild", "in", "out" })
            Assert.True(live.Contains(C(kept)) && !archived.Contains(C(kept)), $"{kept} should stay live");
        foreach (var gone in new[] { "garbage1", "garbage2", "garbage3" })
            Assert.True(archived.Contains(C(gone)) && !live.Contains(C(gone)), $"{gone} should be archived");

        // Touching an archived cell restores it whole; its archive row goes.
        Assert.Equal(new NumberValue(3), await Net.Strongest(C("garbage1")));
        Assert.Equal(1, (await Net.Cell(C("garbage1")).GetMetadata()).Version);
        Assert.Contains(C("garbage1"), await Keys("cell"));
        Assert.DoesNotContain(C("garbage1"), await Keys("cell-archive"));

        // A reachable reference to an archived cell restores it at the next compaction.
        await Net.Tell(C("root"), CarriedCell.Map(("again", C("garbage3"))));
        await Compact(KeepEverythingOld);
        Assert.Contains(C("garbage3"), await Keys("cell"));
        Assert.DoesNotContain(C("garbage3"), await Keys("cell-archive"));
    }

    [Fact]
    public async Task Cells_whose_ids_look_like_numbers_keep_their_own_rows_and_are_archived()
    {
        // Orleans stores a key that parses as a hex number or a GUID as that number, without the string: "0abc" and
        // "abc" would share a row, and the stored-state reader could not tell whose it is.
        string[] ids = [_prefix, "0" + _prefix, "c0" + _prefix, Guid.NewGuid().ToString("N"), _prefix + "+x"];
        for (var i = 0; i < ids.Length; i++) await Net.Tell(ids[i], new NumberValue(i));
        for (var i = 0; i < ids.Length; i++) Assert.Equal(new NumberValue(i), await Net.Strongest(ids[i]));
        Assert.Superset(ids.ToHashSet(), await Keys("cell"));

        await Compact(KeepEverythingOld);
        var archived = await Keys("cell-archive");
        Assert.All(ids, id => Assert.Contains(id, archived));
        Assert.DoesNotContain(ids, (await Keys("cell")).Contains);

        // Touched again, each comes back from its own archive row.
        for (var i = 0; i < ids.Length; i++) Assert.Equal(new NumberValue(i), await Net.Strongest(ids[i]));
    }

    [Fact]
    public async Task Cells_of_propagators_on_machines_outside_the_cluster_are_roots()
    {
        // A machine outside the cluster (a Gun peer) registers a propagator; only the registry knows it.
        var machine = $"ext-{_prefix}";
        await Net.Registry.Heartbeat(machine, "browser", OrleansSync.Machines.MachineKind.External);
        await Net.Registry.RegisterPropagator(new OrleansSync.Propagation.PropagatorSpec($"{machine}/double", "double", [C("ext-in")], [C("ext-out")], []));
        await Net.Tell(C("ext-in"), new NumberValue(1));
        await Net.Tell(C("ext-out"), new NumberValue(2));

        await Compact(KeepEverythingOld);

        var live = await Keys("cell");
        Assert.Contains(C("ext-in"), live);
        Assert.Contains(C("ext-out"), live);
    }

    [Fact]
    public async Task Writes_during_compaction_are_never_lost()
    {
        const int cells = 300;
        var ids = Enumerable.Range(0, cells).Select(i => C($"w{i}")).ToArray();
        // Half are children of a named carried cell (reachable), half are garbage; all are written throughout.
        await Net.Tell(C("holder"), CarriedCell.Map(ids.Where((_, i) => i % 2 == 0).Select(id => KeyValuePair.Create(id, id))));
        await Net.Cell(C("holder")).Describe("holder", CellKind.Carried);
        var last = new double[cells];
        for (var i = 0; i < cells; i++) await Net.Tell(ids[i], new MaxValue(last[i] = 1));

        var compaction = fixture.Cluster.Client.GetGrain<ICompactionGrain>(ICompactionGrain.Key);
        await compaction.Start(KeepEverythingOld);
        var writesWhileRunning = 0;
        for (var round = 2; (await compaction.GetStatus()).Running; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, cells).Where(i => i % 7 == round % 7).Select(async i =>
            {
                await Net.Tell(ids[i], new MaxValue(round));
                last[i] = round;
            }));
            writesWhileRunning++;
        }
        var status = await compaction.GetStatus();
        Assert.Null(status.Error);

        for (var i = 0; i < cells; i++) Assert.Equal(new MaxValue(last[i]), await Net.Strongest(ids[i]));
        var archived = await Keys("cell-archive");
        Assert.DoesNotContain(ids.Where((_, i) => i % 2 == 0), archived.Contains);
        Assert.True(writesWhileRunning > 0);
    }

    [Fact]
    public async Task Archived_cells_past_the_retention_are_deleted()
    {
        await Net.Tell(C("old"), new NumberValue(5));
        await Compact(KeepEverythingOld);
        Assert.Contains(C("old"), await Keys("cell-archive"));

        var summary = await Compact(KeepEverythingOld with { ArchiveRetention = TimeSpan.Zero });

        Assert.True(summary.ArchiveDeleted >= 1);
        Assert.DoesNotContain(C("old"), await Keys("cell-archive"));
        Assert.DoesNotContain(C("old"), await Keys("cell"));
        Assert.True(summary.After.Rows.GetValueOrDefault("cell-archive") < summary.Before.Rows.GetValueOrDefault("cell-archive"));
        Assert.Equal(Nothing.Instance, await Net.Strongest(C("old")));
    }

    [Fact]
    public async Task Deleting_a_cell_removes_its_row_but_not_while_a_propagator_reads_it()
    {
        await Net.Tell(C("doomed"), new NumberValue(1));
        Assert.Contains(C("doomed"), await Keys("cell"));

        await Net.Cell(C("doomed")).Delete();

        Assert.DoesNotContain(C("doomed"), await Keys("cell"));
        Assert.Equal(Nothing.Instance, await Net.Strongest(C("doomed")));
        await Net.Tell(C("doomed"), new NumberValue(2));
        Assert.Equal(new NumberValue(2), await Net.Strongest(C("doomed")));

        await Net.Primitive("B", P.Identity, C("read"), C("copy"));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Net.Cell(C("read")).Delete());
        Assert.Contains("dispose", refused.Message);
    }

    [Fact]
    public async Task Gun_tombstones_are_kept_for_the_retention_and_then_forgotten()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var deletedNode = fixture.Cluster.Client.GetGrain<IGunNodeGrain>(C("gun/deleted"));
        var mixedNode = fixture.Cluster.Client.GetGrain<IGunNodeGrain>(C("gun/mixed"));
        await deletedNode.Put(new GunNodeDelta(C("gun/deleted"), new Dictionary<string, GunField> { ["a"] = new("null", now - 1000) }));
        await mixedNode.Put(new GunNodeDelta(C("gun/mixed"), new Dictionary<string, GunField>
        {
            ["gone"] = new("null", now - 1000),
            ["kept"] = new("\"value\"", now - 1000),
        }));

        await Compact(KeepEverythingOld);
        Assert.Contains(C("gun/deleted"), await Keys("gun"));
        Assert.NotNull((await mixedNode.Get())!.Fields.GetValueOrDefault("gone"));

        var summary = await Compact(KeepEverythingOld with { TombstoneRetention = TimeSpan.Zero });

        Assert.True(summary.TombstonesRemoved >= 2 && summary.GunNodesDeleted >= 1);
        Assert.DoesNotContain(C("gun/deleted"), await Keys("gun"));
        Assert.Null(await deletedNode.Get());
        var mixed = await mixedNode.Get();
        Assert.Equal(["kept"], mixed!.Fields.Keys);
    }

    [Fact]
    public async Task Disposed_propagators_are_forgotten_after_the_retention_and_their_cells_collected()
    {
        var info = await Net.Primitive("A", P.Identity, C("src"), C("dst"));
        await Net.Tell(C("src"), new NumberValue(1));
        await Net.WaitForQuiescence(Timeout);
        await Compact(KeepEverythingOld);
        Assert.Contains(C("src"), await Keys("cell"));

        await Net.Dispose(info.Spec.Id);
        var summary = await Compact(KeepEverythingOld with { PropagatorRetention = TimeSpan.Zero });

        Assert.True(summary.PropagatorsForgotten >= 1);
        Assert.DoesNotContain(info.Spec.Id, await Keys("propagator"));
        Assert.Contains(C("src"), await Keys("cell-archive"));
        Assert.Contains(C("dst"), await Keys("cell-archive"));
    }

    private async Task<CompactionSummary> Compact(CompactionRequest request)
    {
        var compaction = fixture.Cluster.Client.GetGrain<ICompactionGrain>(ICompactionGrain.Key);
        // A compaction another test started is waited out first: one runs at a time.
        await Conditions.WaitUntilAsync(async () => !(await compaction.GetStatus()).Running, Timeout, "an earlier compaction to finish");
        var started = await compaction.Start(request);
        await Conditions.WaitUntilAsync(async () => !(await compaction.GetStatus()).Running, Timeout, "compaction to finish");
        var status = await compaction.GetStatus();
        Assert.Null(status.Error);
        Assert.Equal(started.StartedAt, status.StartedAt);
        return status.Summary!;
    }

    private async Task<HashSet<string>> Keys(string stateName)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in Stored.ReadAllAsync(stateName)) keys.Add(row.Key ?? "");
        return keys;
    }
}
