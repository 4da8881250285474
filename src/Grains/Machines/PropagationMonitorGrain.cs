using Orleans.Concurrency;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Machines;

/// <summary>Reads every active silo's counters for a network through its machine agent; any silo can do this, so it is a stateless worker.</summary>
[GrainType("propagation-monitor"), StatelessWorker]
public sealed class PropagationMonitorGrain(MachineDirectory machines) : Grain, IPropagationMonitorGrain
{
    public async Task<IReadOnlyList<PropagationCounters>> Sample(string network)
    {
        var active = machines.Active();
        return await Task.WhenAll(active.Select(m => GrainFactory.GetGrain<IMachineAgentGrain>(m.Machine).GetCounters(network)));
    }
}
