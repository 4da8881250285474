using OrleansSync.Lattice;

namespace OrleansSync.Cells;

/// <summary>A consistent view of one cell at one version: metadata, full content, and the strongest value.</summary>
[GenerateSerializer, Immutable, Alias("os.cell-snapshot")]
public sealed record CellSnapshot(
    [property: Id(0)] CellMetadata Metadata,
    [property: Id(1)] PartialInfo Content,
    [property: Id(2)] PartialInfo Strongest);
