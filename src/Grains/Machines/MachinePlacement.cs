using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// Places a grain on the silo of the machine its key starts with (<c>{machine}</c> or <c>{machine}/...</c>).
/// If that machine has no active silo the call fails: a propagator never runs anywhere else.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.machine-placement")]
public sealed class MachinePlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class)]
public sealed class MachinePlacementAttribute() : PlacementAttribute(new MachinePlacement());

public sealed class MachinePlacementDirector(MachineDirectory machines) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var machine = MachineOfKey(target.GrainIdentity.Key.ToString()!);
        foreach (var silo in context.GetCompatibleSilos(target))
            if (machines.MachineOf(silo) == machine) return Task.FromResult(silo);
        throw new OrleansException($"Machine '{machine}' has no active silo; its grains cannot run until it returns.");
    }

    public static string MachineOfKey(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? key : key[..slash];
    }
}
