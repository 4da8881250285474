using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Propagators;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Machines;

public static class PropagatorNetworkSiloBuilderExtensions
{
    /// <summary>
    /// Makes this silo a machine of the propagator network: its id goes into the silo metadata (so
    /// propagators are placed on it), it heartbeats the registry, and it counts propagation for quiescence.
    /// </summary>
    public static ISiloBuilder AddPropagatorNetwork(this ISiloBuilder silo, MachineOptions machine)
    {
        MachineIds.Validate(machine.Id);
        silo.UseSiloMetadata(new Dictionary<string, string> { [MachineOptions.MetadataKey] = machine.Id });
        silo.Services.Configure<MachineOptions>(o =>
        {
            o.Id = machine.Id;
            o.Name = string.IsNullOrWhiteSpace(machine.Name) ? machine.Id : machine.Name;
            o.HeartbeatInterval = machine.HeartbeatInterval;
            o.InactiveAfter = machine.InactiveAfter;
        });
        silo.Services.AddSingleton<MachineDirectory>();
        silo.Services.AddSingleton<PropagationTracker>();
        silo.Services.AddSingleton<PropagatorCatalog>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MachineHeartbeat>();
        silo.AddPlacementDirector<MachinePlacement, MachinePlacementDirector>();
        return silo;
    }
}
