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

    /// <summary>
    /// <see cref="Merge(PartialInfo)"/> on behalf of a network: the propagation it starts counts toward that network's
    /// quiescence, and contradictions it causes are reported to it.
    /// </summary>
    [Alias("MergeIn")]
    Task<MergeResult> Merge(PartialInfo increment, string network);

    /// <summary>
    /// A propagator's result: merged at once and written behind (derived contents are recomputable from what clients
    /// told, so they are not made durable before the next hop). Returns once the change is applied and its
    /// consequences are under way.
    /// </summary>
    [Alias("MergeDerived")]
    Task MergeDerived(PartialInfo increment, string network);

    /// <summary>Sets the cell's name and kind (metadata only; the version does not change).</summary>
    [Alias("Describe")]
    Task<CellMetadata> Describe(string name, CellKind kind);

    // Reads interleave with a merge in progress: they never queue behind writes.
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
    /// notifying; subscribers renew before the lease ends.
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

    /// <summary>Records a propagator that writes this cell (for listing; writers are never woken by it).</summary>
    [Alias("AddWriter")]
    Task AddWriter(string propagatorId);

    [Alias("RemoveWriter")]
    Task RemoveWriter(string propagatorId);

    /// <summary>The propagators that read this cell.</summary>
    [AlwaysInterleave, Alias("GetNeighbors")]
    Task<IReadOnlyList<string>> GetNeighbors();

    /// <summary>The propagators that write this cell.</summary>
    [AlwaysInterleave, Alias("GetWriters")]
    Task<IReadOnlyList<string>> GetWriters();

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

    /// <summary>A premise this cell's content mentions changed its belief; <paramref name="network"/> caused it.</summary>
    [Alias("PremiseChanged")]
    Task PremiseChanged(string premise, PremiseBelief belief, string network);

    /// <summary>Writes what is only in memory (written-behind changes) now; returns when it is durable.</summary>
    [Alias("Flush")]
    Task Flush();
}
