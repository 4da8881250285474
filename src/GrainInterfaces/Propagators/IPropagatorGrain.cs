using Orleans.Concurrency;
using OrleansSync.Lattice;
using OrleansSync.Propagation;

namespace OrleansSync.Propagators;

/// <summary>
/// A propagator, keyed by its id (<c>{machine}/{local id}</c>) and activated only on its machine. It keeps
/// its metadata; the implementation behind its name is the machine's own.
/// </summary>
[Alias("OrleansSync.IPropagatorGrain")]
public interface IPropagatorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the propagator: stores it, registers it with its input cells and the machine registry, and
    /// runs it once. Attaching the same spec again only runs it; a different spec under the same id fails.
    /// </summary>
    [Alias("Attach")]
    Task<PropagatorInfo> Attach(PropagatorSpec spec);

    /// <summary>
    /// An input's strongest value changed to <paramref name="strongest"/> at <paramref name="version"/>; runs
    /// unless a version that new was already seen. The value travels with the wake so the propagator need
    /// not read it back.
    /// </summary>
    [Alias("Wake")]
    Task Wake(string cellId, long version, PartialInfo strongest);

    /// <summary>Runs from the inputs' current values (after the machine was down, or on demand).</summary>
    [Alias("CatchUp")]
    Task CatchUp();

    /// <summary>Unregisters from cells and the registry; the metadata stays, marked disposed (history).</summary>
    [Alias("Detach")]
    Task<PropagatorInfo> Detach();

    /// <summary>Compaction: deletes the stored row of a disposed propagator. Refused (false) while it is live.</summary>
    [Alias("Forget")]
    Task<bool> Forget();

    [AlwaysInterleave, Alias("GetInfo")]
    Task<PropagatorInfo> GetInfo();
}
