using OrleansSync.Cells;
using OrleansSync.Lattice;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// What a cell stores: one row per cell, overwritten in place. Subscribers are stored by observer id so
/// a cell re-activated after a silo failure can keep notifying them.
/// </summary>
[GenerateSerializer, Alias("os.cell-state")]
public sealed class CellState
{
    [Id(0)] public string Name { get; set; } = "";

    [Id(1)] public CellKind Kind { get; set; } = CellKind.Value;

    [Id(2)] public long Version { get; set; }

    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }

    [Id(5)] public PartialInfo Content { get; set; } = Nothing.Instance;

    [Id(6)] public List<string> Subscribers { get; set; } = [];

    /// <summary>Ids of the propagators that read this cell, woken on their own machines when the strongest value changes.</summary>
    [Id(7)] public List<string> Neighbors { get; set; } = [];
}
