namespace OrleansSync.Compaction;

/// <summary>
/// Which ids a compaction archived or deleted: the first <see cref="Limit"/> of each kind, so an operator can see what
/// went (the summary has the full counts) without the status growing with the size of the store.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.compaction-samples")]
public sealed record CompactionSamples(
    [property: Id(0)] IReadOnlyList<string> Archived,
    [property: Id(1)] IReadOnlyList<string> ArchiveDeleted,
    [property: Id(2)] IReadOnlyList<string> GunNodesDeleted,
    [property: Id(3)] IReadOnlyList<string> PropagatorsForgotten)
{
    public const int Limit = 100;

    public static CompactionSamples None { get; } = new([], [], [], []);
}
