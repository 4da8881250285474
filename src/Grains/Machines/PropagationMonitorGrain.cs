using Orleans.Concurrency;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// Reads the counters for a network of every silo that can still be working (active or shutting down) through its
/// machine agent; any silo can do this, so it is a stateless worker.
/// </summary>
[GrainType("propagation-monitor"), StatelessWorker]
public sealed class PropagationMonitorGrain(MachineDirectory machines) : Grain, IPropagationMonitorGrain
{
    public async Task<IReadOnlyList<PropagationCounters>> Sample(string network)
    {
        var sampled = machines.Sampled() ?? throw new InvalidOperationException("A silo's machine is not known yet; sample again.");
        return await Task.WhenAll(sampled.Select(m => GrainFactory.GetGrain<IMachineAgentGrain>(m).GetCounters(network)));
    }
}
