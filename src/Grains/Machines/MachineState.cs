using OrleansSync.Machines;

namespace OrleansSync.Grains.Machines;

/// <summary>One machine as stored: small and fixed in size; its propagators are in its shards.</summary>
[GenerateSerializer, Alias("os.machine-state")]
public sealed class MachineState
{
    [Id(0)] public string Name { get; set; } = "";

    [Id(1)] public MachineKind Kind { get; set; }

    [Id(2)] public DateTimeOffset ConnectedAt { get; set; }

    [Id(3)] public DateTimeOffset LastSeen { get; set; }

    /// <summary>Shut down cleanly; cleared by the next heartbeat.</summary>
    [Id(4)] public bool Stopped { get; set; }
}
