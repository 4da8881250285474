using OrleansSync.Grains.Propagation;
using OrleansSync.Machines;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Machines;

[GrainType("machine-agent"), MachinePlacement]
public sealed class MachineAgentGrain(PropagationTracker tracker) : Grain, IMachineAgentGrain
{
    private string Machine => this.GetPrimaryKeyString();

    public Task<PropagationCounters> GetCounters() => Task.FromResult(tracker.Read(Machine));

    public async Task<int> CatchUp()
    {
        var propagators = await GrainFactory.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key).GetPropagators(Machine);
        foreach (var spec in propagators)
        {
            var propagator = GrainFactory.GetGrain<IPropagatorGrain>(spec.Id);
            tracker.Send(propagator.CatchUp, $"catch-up of {spec.Id}");
        }
        return propagators.Count;
    }
}
