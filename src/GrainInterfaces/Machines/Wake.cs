using OrleansSync.Cells;
using OrleansSync.Lattice;

namespace OrleansSync.Machines;

/// <summary>A cell's strongest value changed: the propagator that reads it should run, on behalf of <see cref="Network"/>.</summary>
[GenerateSerializer, Immutable, Alias("os.wake")]
public sealed record Wake(
    [property: Id(0)] string PropagatorId,
    [property: Id(1)] string CellId,
    [property: Id(2)] CellStamp Stamp,
    [property: Id(3)] PartialInfo Strongest,
    [property: Id(4)] string Network);
