using OrleansSync.Gun;

namespace OrleansSync.Grains.Gun;

/// <summary>A Gun node as stored: one row per soul, overwritten in place.</summary>
[GenerateSerializer, Alias("os.gun-node-state")]
public sealed class GunNodeState
{
    [Id(0)] public Dictionary<string, GunField> Fields { get; set; } = [];

    /// <summary>Writes whose state is still in the future: applied by HAM when their time comes.</summary>
    [Id(1)] public List<PendingWrite> Pending { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("os.gun-pending")]
public sealed record PendingWrite([property: Id(0)] string Key, [property: Id(1)] GunField Field);
