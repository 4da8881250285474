using Orleans.Concurrency;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Machines;

/// <summary>Reads every active silo's counters through its machine agent; any silo can do this, so it is a stateless worker.</summary>
[GrainType("propagation-monitor"), StatelessWorker]
public sealed class PropagationMonitorGrain(MachineDirectory machines) : Grain, IPropagationMonitorGrain
{
    public async Task<IReadOnlyList<PropagationCounters>> Sample()
    {
        var active = machines.Active();
        var counters = await Task.WhenAll(active.Select(m => GrainFactory.GetGrain<IMachineAgentGrain>(m.Machine).GetCounters()));
        return counters;
    }
}
