using OrleansSync.Lattice;

namespace OrleansSync.Cells;

/// <summary>
/// A notification that a cell's strongest value (or content) changed. <see cref="Stamp"/> orders the changes of one
/// cell, across restarts too, so a subscriber drops stale or repeated ones.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.cell-change")]
public sealed record CellChange(
    [property: Id(0)] string CellId,
    [property: Id(1)] long Version,
    [property: Id(2)] PartialInfo Strongest,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] long Incarnation = 0)
{
    public CellStamp Stamp => new(Incarnation, Version);
}
