using Orleans.Concurrency;

namespace OrleansSync.Machines;

/// <summary>
/// A machine's own agent, keyed by machine id and activated on that machine's silo: it reports the
/// silo's propagation counters and wakes the machine's propagators when the machine (re)starts.
/// </summary>
[Alias("OrleansSync.IMachineAgentGrain")]
public interface IMachineAgentGrain : IGrainWithStringKey
{
    [AlwaysInterleave, Alias("GetCounters")]
    Task<PropagationCounters> GetCounters();

    /// <summary>Wakes every live propagator of this machine so it catches up with its inputs.</summary>
    [Alias("CatchUp")]
    Task<int> CatchUp();
}

/// <summary>
/// One silo's count of propagation messages it started and that finished (delivered and processed,
/// or failed). Both only grow; <see cref="Incarnation"/> changes when the silo restarts.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.propagation-counters")]
public sealed record PropagationCounters(
    [property: Id(0)] string Machine,
    [property: Id(1)] string Incarnation,
    [property: Id(2)] long Started,
    [property: Id(3)] long Finished);
