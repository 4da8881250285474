using OrleansSync.Lattice;

namespace OrleansSync.Cells;

/// <summary>A notification that a cell's content changed. Versions let a subscriber drop stale or repeated ones.</summary>
[GenerateSerializer, Immutable, Alias("os.cell-change")]
public sealed record CellChange(
    [property: Id(0)] string CellId,
    [property: Id(1)] long Version,
    [property: Id(2)] PartialInfo Strongest,
    [property: Id(3)] DateTimeOffset UpdatedAt);
