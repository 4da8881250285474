namespace OrleansSync.Cells;

/// <summary>
/// What a cell is, apart from its content. <see cref="Version"/> counts content changes; <see cref="Incarnation"/>
/// orders activations (see <see cref="CellStamp"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("os.cell-metadata")]
public sealed record CellMetadata(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] CellKind Kind,
    [property: Id(3)] long Version,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt,
    [property: Id(6)] long Incarnation = 0)
{
    public CellStamp Stamp => new(Incarnation, Version);
}
