using Orleans.Concurrency;

namespace OrleansSync.Machines;

/// <summary>
/// A machine's own agent, keyed by machine id and activated on that machine's silo: it reports the silo's
/// propagation counters, takes batches of wakes from other machines, and wakes the machine's propagators when the
/// machine (re)starts or another silo died (their results may have been lost with it).
/// </summary>
[Alias("OrleansSync.IMachineAgentGrain")]
public interface IMachineAgentGrain : IGrainWithStringKey
{
    [AlwaysInterleave, Alias("GetCounters")]
    Task<PropagationCounters> GetCounters(string network);

    /// <summary>Wakes every live propagator of this machine so it catches up with its inputs; returns how many.</summary>
    [Alias("CatchUp")]
    Task<int> CatchUp();

    /// <summary>Wakes from cells on other silos, batched: each goes to its propagator here before this returns.</summary>
    [AlwaysInterleave, Alias("Deliver")]
    Task Deliver(IReadOnlyList<Wake> wakes);
}

/// <summary>
/// One silo's count, for one network, of propagation work it started and that finished (delivered and processed,
/// or failed), search decisions waiting for quiescence, and changes written behind but not yet stored. Started and
/// finished only grow; <see cref="Incarnation"/> changes when the silo restarts.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.propagation-counters")]
public sealed record PropagationCounters(
    [property: Id(0)] string Machine,
    [property: Id(1)] string Incarnation,
    [property: Id(2)] long Started,
    [property: Id(3)] long Finished,
    [property: Id(4)] long PendingDecisions = 0,
    [property: Id(5)] long PendingWrites = 0);
