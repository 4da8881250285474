using OrleansSync.Propagation;

namespace OrleansSync.Grains.Propagators;

/// <summary>A propagator's stored state: its spec and history. A compound's sub-propagators are listed once built.</summary>
[GenerateSerializer, Alias("os.propagator-state")]
public sealed class PropagatorState
{
    [Id(0)] public PropagatorSpec? Spec { get; set; }

    [Id(1)] public DateTimeOffset CreatedAt { get; set; }

    [Id(2)] public DateTimeOffset? DisposedAt { get; set; }

    /// <summary>A compound built its sub-network, an application its body, or an amb registered its choices: done once.</summary>
    [Id(3)] public bool Expanded { get; set; }

    [Id(4)] public List<string> Children { get; set; } = [];

    /// <summary>The page of its machine shard the propagator is registered on (-1: not registered).</summary>
    [Id(5)] public int RegistryPage { get; set; } = -1;

    public PropagatorState Copy() => new()
    {
        Spec = Spec,
        CreatedAt = CreatedAt,
        DisposedAt = DisposedAt,
        Expanded = Expanded,
        Children = [.. Children],
        RegistryPage = RegistryPage,
    };
}
