using OrleansSync.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Machines;

/// <summary>The registry's stored state: machines (never deleted) and the live propagators by id.</summary>
[GenerateSerializer, Alias("os.machine-registry-state")]
public sealed class MachineRegistryState
{
    [Id(0)] public Dictionary<string, MachineRecord> Machines { get; set; } = [];

    [Id(1)] public Dictionary<string, PropagatorSpec> Propagators { get; set; } = [];
}

/// <summary>One machine as stored. Immutable: a change replaces the record, so readers' views never change under them.</summary>
[GenerateSerializer, Alias("os.machine-record")]
public sealed record MachineRecord
{
    [Id(0)] public string Id { get; init; } = "";

    [Id(1)] public string Name { get; init; } = "";

    [Id(2)] public MachineKind Kind { get; init; }

    [Id(3)] public DateTimeOffset ConnectedAt { get; init; }

    [Id(4)] public DateTimeOffset LastSeen { get; init; }

    /// <summary>Shut down cleanly; cleared by the next heartbeat.</summary>
    [Id(5)] public bool Stopped { get; init; }
}
