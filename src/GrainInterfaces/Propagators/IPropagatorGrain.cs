using Orleans.Concurrency;
using OrleansSync.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.Propagators;

/// <summary>
/// A propagator, keyed by its id (<c>{machine}/{local id}</c>) and activated only on its machine. It keeps
/// its metadata; the implementation behind its name is the machine's own. Its runs happen in its silo's scheduler.
/// </summary>
[Alias("OrleansSync.IPropagatorGrain")]
public interface IPropagatorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the propagator: stores it, registers it with its cells and its machine, and runs it once.
    /// Attaching the same spec again only runs it; a different spec under the same id fails.
    /// </summary>
    [Alias("Attach")]
    Task<PropagatorInfo> Attach(PropagatorSpec spec);

    /// <summary>An input's strongest value changed; the run is queued unless a newer value of that input was already seen.</summary>
    [Alias("Wake")]
    Task Wake(Wake wake);

    /// <summary>Runs from the inputs' current values (after the machine was down, or on demand).</summary>
    [Alias("CatchUp")]
    Task CatchUp();

    /// <summary>A run the scheduler cannot do by itself (a compound's build, an amb, an application, or inputs never seen).</summary>
    [Alias("Run")]
    Task Run(string network);

    /// <summary>Unregisters from cells and the registry; the metadata stays, marked disposed (history).</summary>
    [Alias("Detach")]
    Task<PropagatorInfo> Detach();

    /// <summary>Compaction: deletes the stored row of a disposed propagator. Refused (false) while it is live.</summary>
    [Alias("Forget")]
    Task<bool> Forget();

    [AlwaysInterleave, Alias("GetInfo")]
    Task<PropagatorInfo> GetInfo();
}
