using Orleans.Runtime;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using Xunit;

namespace OrleansSync.Tests.Cluster;

/// <summary>Cell grains on a 2-silo TestingHost cluster with real SQLite storage.</summary>
public sealed class CellGrainTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private IClusterClient Client => fixture.Cluster.Client;

    private ICellGrain Cell(string id) => Client.GetGrain<ICellGrain>(id);

    [Fact]
    public async Task Merges_from_many_concurrent_callers_converge_regardless_of_order()
    {
        const int cells = 40;
        var random = new Random(7);
        var increments = Enumerable.Range(0, cells).SelectMany(c => Enumerable.Range(0, 25).Select(i => (Cell: $"converge-{c}", Value: Increment(c, i)))).ToArray();
        random.Shuffle(increments);

        // 64 callers, each taking the next increment: the order in which merges reach each cell is arbitrary.
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < increments.Length)
                await Cell(increments[i].Cell).Merge(increments[i].Value);
        }));

        for (var c = 0; c < cells; c++)
        {
            var expected = Enumerable.Range(0, 25).Select(i => Increment(c, i)).Aggregate((PartialInfo)Nothing.Instance, MergeRegistry.Default.Merge);
            var snapshot = await Cell($"converge-{c}").GetSnapshot();
            Assert.Equal(expected, snapshot.Content);
            Assert.InRange(snapshot.Metadata.Version, 1, 25);
        }

        static PartialInfo Increment(int cell, int i) => (cell % 4) switch
        {
            0 => GrowSet.Of($"item-{i}", $"item-{i / 2}"),
            1 => new MaxValue((i * 37) % 101),
            2 => new Interval(-100 + i, 100 - (i * 3 % 50)),
            _ => Supported.By(new Interval(i % 7, 30 + i % 11), $"premise-{i % 5}"),
        };
    }

    [Fact]
    public async Task Version_increments_only_when_content_changes()
    {
        var cell = Cell("versioned");
        var first = await cell.Merge(new Interval(0, 10));
        Assert.True(first.Changed);
        Assert.Equal(1, first.Version);

        var same = await cell.Merge(new Interval(0, 10));
        Assert.False(same.Changed);
        Assert.Equal(1, same.Version);

        var wider = await cell.Merge(new Interval(-5, 20));
        Assert.False(wider.Changed);

        var narrower = await cell.Merge(new Interval(2, 4));
        Assert.True(narrower.Changed);
        Assert.Equal(2, narrower.Version);
        Assert.Equal(new Interval(2, 4), narrower.Strongest);
        Assert.Equal(2, (await cell.GetMetadata()).Version);
    }

    [Fact]
    public async Task Contradictions_are_stored_and_reported_not_thrown()
    {
        var cell = Cell("contradicted");
        await cell.Merge(new NumberValue(100));
        var clash = await cell.Merge(new NumberValue(123));
        Assert.True(clash.Changed);
        Assert.True(clash.Strongest.IsContradiction);
        Assert.Contains("100 != 123", ((Contradiction)clash.Strongest).Reason);

        var after = await cell.Merge(new NumberValue(5));
        Assert.False(after.Changed);

        await fixture.Cluster.Cluster.DeactivateAsync(cell);
        Assert.True((await cell.GetContent()).IsContradiction);
    }

    [Fact]
    public async Task Metadata_describes_the_cell()
    {
        var cell = Cell("described");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var metadata = await cell.Describe("building-height", CellKind.Value);
        Assert.Equal(("described", "building-height", CellKind.Value, 0L), (metadata.Id, metadata.Name, metadata.Kind, metadata.Version));
        await cell.Merge(new Interval(40, 50));
        var updated = await cell.GetMetadata();
        Assert.Equal(1, updated.Version);
        Assert.True(updated.CreatedAt >= before && updated.UpdatedAt >= updated.CreatedAt);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cell.Describe("x", (CellKind)42));
    }

    [Fact]
    public async Task Subscription_delivers_changes_and_stops_after_unsubscribe()
    {
        var kept = new ChangeRecorder();
        var dropped = new ChangeRecorder();
        await using var keptSubscriber = new CellSubscriber(Client, kept.Record);
        await using var droppedSubscriber = new CellSubscriber(Client, dropped.Record);
        var cell = Cell("subscribed");

        await keptSubscriber.SubscribeAsync("subscribed");
        await droppedSubscriber.SubscribeAsync("subscribed");
        await cell.Merge(GrowSet.Of("a"));
        await kept.WaitFor("subscribed", 1);
        await dropped.WaitFor("subscribed", 1);

        await droppedSubscriber.UnsubscribeAsync("subscribed");
        await cell.Merge(GrowSet.Of("b"));
        await cell.Merge(GrowSet.Of("c"));
        var third = await kept.WaitFor("subscribed", 3);
        Assert.Equal(GrowSet.Of("a", "b", "c"), third.Strongest);

        // Both notifications went out before the kept subscriber saw the last one, over the same connection.
        Assert.DoesNotContain(dropped.Drain(), c => c.Version > 1);
    }

    [Fact]
    public async Task A_merge_that_changes_nothing_notifies_nobody()
    {
        // A raw observer: every notification the cell sends is recorded, none dropped (CellSubscriber would drop a repeat).
        var raw = new RawObserver();
        var reference = Client.CreateObjectReference<ICellObserver>(raw);
        try
        {
            var cell = Cell("unchanged");
            await cell.Subscribe(reference);
            await cell.Merge(GrowSet.Of("a"));
            await cell.Merge(GrowSet.Of("a"));
            await cell.Merge(GrowSet.Of("b"));
            await raw.Changes.WaitFor("unchanged", 2);
            // The repeated merge sent nothing: exactly one notification per version, in order.
            Assert.Equal([1L, 2L], raw.Versions);
        }
        finally
        {
            // CreateObjectReference holds the observer only weakly.
            GC.KeepAlive(raw);
            Client.DeleteObjectReference<ICellObserver>(reference);
        }
    }

    [Fact]
    public async Task Idle_cells_deactivate_and_reload_the_same_state()
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var ids = Enumerable.Range(0, 50).Select(i => $"lazy-{i}").ToArray();
        await Task.WhenAll(ids.Select((id, i) => Cell(id).Merge(new MaxValue(i))));
        var loaded = await CellActivations(management);
        Assert.True(loaded >= ids.Length, $"expected at least {ids.Length} cell activations, found {loaded}");

        await management.ForceActivationCollection(TimeSpan.FromMilliseconds(1));
        var collected = await CellActivations(management);
        Assert.True(collected < ids.Length, $"idle collection left {collected} of {loaded} cell activations");

        for (var i = 0; i < ids.Length; i++)
            Assert.Equal(new MaxValue(i), await Cell(ids[i]).GetContent());
        Assert.Equal(1, (await Cell(ids[7]).GetMetadata()).Version);
    }

    [Fact]
    public async Task A_damaged_stored_subscriber_does_not_make_the_cell_unusable()
    {
        var cell = Cell("damaged");
        await cell.Merge(new NumberValue(42));
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(fixture.Cluster.SqliteConnectionString))
        {
            await connection.OpenAsync();
            await using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE OrleansStorage SET PayloadBinary = CAST(replace(CAST(PayloadBinary AS TEXT), '\"subscribers\":[]', '\"subscribers\":[\"not a grain id\"]') AS BLOB) " +
                "WHERE CAST(PayloadBinary AS TEXT) LIKE '%\"t\":\"number\",\"v\":42%'";
            Assert.Equal(1, await damage.ExecuteNonQueryAsync());
        }
        await fixture.Cluster.Cluster.DeactivateAsync(cell);

        Assert.Equal(new NumberValue(42), await cell.GetContent());
        // The damaged entry is dropped; a new subscriber hears of the next change, and the row can be written again.
        var recorder = new ChangeRecorder();
        await using var subscriber = new CellSubscriber(Client, recorder.Record, renewEvery: TimeSpan.FromHours(1));
        await subscriber.SubscribeAsync("damaged");
        await Cell("damaged").Describe("repaired", CellKind.Value);
        await fixture.Cluster.Cluster.DeactivateAsync(cell);
        await cell.Merge(new NumberValue(43));
        var change = await recorder.WaitFor("damaged", 2);
        Assert.True(change.Strongest.IsContradiction);
        Assert.Equal("repaired", (await cell.GetMetadata()).Name);
    }

    [Fact]
    public async Task A_change_racing_a_new_subscription_is_in_the_snapshot_or_delivered()
    {
        var recorder = new ChangeRecorder();
        // No renewal during the test: only the subscription itself can bring the change.
        await using var subscriber = new CellSubscriber(Client, recorder.Record, renewEvery: TimeSpan.FromHours(1));
        var cells = Enumerable.Range(0, 200).Select(i => $"race-{Guid.NewGuid():N}").ToArray();

        // Each cell changes (version 1) while it is being subscribed to: the change lands before, during or after.
        var snapshots = await Task.WhenAll(cells.Select(async id =>
        {
            var subscribing = subscriber.SubscribeAsync(id);
            await Cell(id).Merge(new NumberValue(1));
            return (id, Version: (await subscribing).Metadata.Version);
        }));

        foreach (var (id, version) in snapshots.Where(s => s.Version == 0))
            await recorder.WaitFor(id, 1, TimeSpan.FromSeconds(10));
    }

    private static async Task<int> CellActivations(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("Cell", StringComparison.OrdinalIgnoreCase) && !s.GrainType.Contains("Directory", StringComparison.OrdinalIgnoreCase)).Sum(s => s.ActivationCount);
}

/// <summary>Records every notification a cell sends, without dropping repeats.</summary>
public sealed class RawObserver : ICellObserver
{
    private readonly List<long> _versions = [];

    public ChangeRecorder Changes { get; } = new();

    public IReadOnlyList<long> Versions { get { lock (_versions) return [.. _versions]; } }

    public Task CellChanged(CellChange change)
    {
        lock (_versions) _versions.Add(change.Version);
        return Changes.Record(change);
    }
}
