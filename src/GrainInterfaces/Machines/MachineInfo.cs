namespace OrleansSync.Machines;

/// <summary>A machine as the registry knows it. Machines are never deleted, only marked inactive.</summary>
[GenerateSerializer, Immutable, Alias("os.machine-info")]
public sealed record MachineInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] MachineKind Kind,
    [property: Id(3)] DateTimeOffset ConnectedAt,
    [property: Id(4)] DateTimeOffset LastSeen,
    [property: Id(5)] bool Active,
    [property: Id(6)] long PropagatorCount);

public enum MachineKind
{
    /// <summary>A silo of this cluster.</summary>
    Cluster,
    /// <summary>A peer outside the cluster that registered through the Gun gateway.</summary>
    External,
}
