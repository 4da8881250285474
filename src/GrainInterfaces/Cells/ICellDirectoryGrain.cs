using Orleans.Concurrency;

namespace OrleansSync.Cells;

/// <summary>
/// The most recently created cells, in <see cref="Shards"/> shards by id, each keeping at most <see cref="PerShard"/>:
/// what <c>sync/cells</c> lists to Gun apps and the web view. A bound, not an index: every cell stays readable by id,
/// and no row grows with the number of cells.
/// </summary>
[Alias("OrleansSync.ICellDirectoryGrain")]
public interface ICellDirectoryGrain : IGrainWithIntegerKey
{
    const int Shards = 16;
    const int PerShard = 64;

    /// <summary>The shard that lists <paramref name="cellId"/> (a stable hash: the same on every silo and run).</summary>
    static int ShardOf(string cellId)
    {
        var hash = 2166136261u;
        foreach (var c in cellId) hash = (hash ^ c) * 16777619u;
        return (int)(hash % Shards);
    }

    [OneWay, Alias("Created")]
    Task Created(string cellId);

    /// <summary>Deleted or archived: no longer listed (a read would restore an archived cell).</summary>
    [OneWay, Alias("Gone")]
    Task Gone(string cellId);

    /// <summary>This shard's cells, newest first.</summary>
    [AlwaysInterleave, Alias("List")]
    Task<IReadOnlyList<string>> List();
}
