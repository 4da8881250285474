using Orleans.Concurrency;
using OrleansSync.Lattice;

namespace OrleansSync.Cells;

/// <summary>
/// A cell of the propagator network, keyed by cell id. It holds the full content, merges increments
/// into it with the lattice merge, and derives the strongest value.
/// </summary>
[Alias("OrleansSync.ICellGrain")]
public interface ICellGrain : IGrainWithStringKey
{
    /// <summary>Merges an increment; returns once the result is durable. Already-known increments change nothing.</summary>
    [Alias("Merge")]
    Task<MergeResult> Merge(PartialInfo increment);

    /// <summary>Sets the cell's name and kind (metadata only; the version does not change).</summary>
    [Alias("Describe")]
    Task<CellMetadata> Describe(string name, CellKind kind);

    // Reads interleave with a merge in progress and see the last stored state: they never queue behind writes.
    [AlwaysInterleave, Alias("GetContent")]
    Task<PartialInfo> GetContent();

    [AlwaysInterleave, Alias("GetStrongest")]
    Task<PartialInfo> GetStrongest();

    [AlwaysInterleave, Alias("GetMetadata")]
    Task<CellMetadata> GetMetadata();

    [AlwaysInterleave, Alias("GetSnapshot")]
    Task<CellSnapshot> GetSnapshot();

    /// <summary>
    /// Subscribes (or renews) an observer for a lease; returns the current snapshot so the subscriber can
    /// resync. Subscriptions are stored with the cell, so a cell re-activated after a silo failure keeps
    /// notifying; subscribers renew before the lease ends (see <see cref="CellSubscription"/>).
    /// </summary>
    [Alias("Subscribe")]
    Task<SubscriptionGrant> Subscribe(ICellObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(ICellObserver observer);
}
