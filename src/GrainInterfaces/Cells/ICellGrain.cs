using Orleans.Concurrency;
using OrleansSync.Lattice;
using OrleansSync.Premises;

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

    /// <summary>
    /// Registers a propagator that reads this cell: it is woken (on its own machine) whenever the strongest
    /// value changes. Outputs are not neighbours: writing a cell never wakes its writers.
    /// </summary>
    [Alias("AddNeighbor")]
    Task AddNeighbor(string propagatorId);

    [Alias("RemoveNeighbor")]
    Task RemoveNeighbor(string propagatorId);

    [AlwaysInterleave, Alias("GetNeighbors")]
    Task<IReadOnlyList<string>> GetNeighbors();

    /// <summary>The cells this cell's content refers to (children of a carried cell, a closure's environment).</summary>
    [AlwaysInterleave, Alias("GetReferences")]
    Task<IReadOnlyList<string>> GetReferences();

    /// <summary>
    /// Removes the cell and its stored row. Refused while propagators read it (dispose them first). Telling
    /// the cell again later starts a new, empty cell.
    /// </summary>
    [Alias("Delete")]
    Task Delete();

    /// <summary>
    /// Compaction's move to the archive: only if the cell is still at <paramref name="expectedVersion"/> (nothing
    /// was written since compaction looked at it) and has no name, subscriber or reading propagator. The row
    /// moves to the archive; the next activation — any read or write — restores it. Returns whether it moved.
    /// </summary>
    [Alias("Archive")]
    Task<bool> Archive(long expectedVersion);

    /// <summary>The worldview changed its belief in a premise this cell's content mentions.</summary>
    [Alias("PremiseChanged")]
    Task PremiseChanged(string premise, PremiseBelief belief);
}
