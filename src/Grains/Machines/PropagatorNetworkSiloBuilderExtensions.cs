using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansSync.Grains.Cells;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Propagators;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Machines;

public static class PropagatorNetworkSiloBuilderExtensions
{
    /// <summary>
    /// Makes this silo a machine of the propagator network: its id goes into the silo metadata (so propagators are
    /// placed on it), it heartbeats the registry, runs propagators in its own scheduler, writes derived contents
    /// behind, counts propagation for quiescence, and catches its propagators up when another silo dies.
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
        silo.Services.AddOptions<SchedulerOptions>();
        silo.Services.AddSingleton<MachineDirectory>();
        silo.Services.AddSingleton<PropagationTracker>();
        silo.Services.AddSingleton<PropagatorCatalog>();
        silo.Services.AddSingleton<RemoteWakes>();
        silo.Services.AddSingleton<LocalScheduler>();
        silo.Services.AddSingleton<WriteBehind>();
        silo.Services.AddSingleton<CellEffects>();
        silo.Services.AddSingleton<QuiescenceWatcher>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MachineHeartbeat>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MachineRecovery>();
        silo.AddPlacementDirector<MachinePlacement, MachinePlacementDirector>();
        return silo;
    }
}
