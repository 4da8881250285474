using OrleansSync.Lattice;

namespace OrleansSync.Cells;

/// <summary>
/// The answer to a merge, given only once the new content is stored. <see cref="Changed"/> is false when
/// the increment was already known; a contradiction is reported in <see cref="Strongest"/>, not thrown.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.merge-result")]
public sealed record MergeResult(
    [property: Id(0)] bool Changed,
    [property: Id(1)] PartialInfo Strongest,
    [property: Id(2)] long Version);
