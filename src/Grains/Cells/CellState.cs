using OrleansSync.Cells;
using OrleansSync.Lattice;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// What a cell stores: one row per cell, overwritten in place. Subscribers are stored by observer id so a cell
/// re-activated after a silo failure can keep notifying them. The propagators that read or write the cell are in
/// pages of their own (<c>cell-readers</c>, <c>cell-writers</c>); the row holds only how many pages there are.
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

    /// <summary>Rows written before readers had pages kept them here; they move to pages on activation.</summary>
    [Id(7)] public List<string> Neighbors { get; set; } = [];

    /// <summary>The cell's id, so a row can be read without trusting how the storage kept the key.</summary>
    [Id(8)] public string Id { get; set; } = "";

    /// <summary>The activation that wrote this row (see <see cref="CellStamp"/>): the next one takes a later one.</summary>
    [Id(9)] public long Incarnation { get; set; }

    [Id(10)] public int ReaderPages { get; set; }

    [Id(11)] public int WriterPages { get; set; }
}
