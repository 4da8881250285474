namespace OrleansSync.Compaction;

/// <summary>Where a compaction is: its phase and progress in it, and at the end its summary or error.</summary>
[GenerateSerializer, Immutable, Alias("os.compaction-status")]
public sealed record CompactionStatus(
    [property: Id(0)] string Phase,
    [property: Id(1)] bool Running,
    [property: Id(2)] long Done,
    [property: Id(3)] long Total,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt,
    [property: Id(6)] CompactionSummary? Summary,
    [property: Id(7)] string? Error,
    [property: Id(8)] IReadOnlyList<CompactionPhase>? Completed = null)
{
    public static CompactionStatus NeverRun { get; } = new("idle", false, 0, 0, null, null, null, null);

    /// <summary>The phases finished so far, in order (a watcher polling now and then still sees the short ones).</summary>
    public IReadOnlyList<CompactionPhase> CompletedPhases => Completed ?? [];
}

/// <summary>A finished phase of a compaction and how many items it went through.</summary>
[GenerateSerializer, Immutable, Alias("os.compaction-phase")]
public sealed record CompactionPhase([property: Id(0)] string Name, [property: Id(1)] long Done, [property: Id(2)] long Total);

/// <summary>What a compaction did, with storage measured before and after.</summary>
[GenerateSerializer, Immutable, Alias("os.compaction-summary")]
public sealed record CompactionSummary(
    [property: Id(0)] long CellsScanned,
    [property: Id(1)] long Roots,
    [property: Id(2)] long Reachable,
    [property: Id(3)] long Archived,
    [property: Id(4)] long KeptBecauseChanged,
    [property: Id(5)] long Restored,
    [property: Id(6)] long ArchiveDeleted,
    [property: Id(7)] long TombstonesRemoved,
    [property: Id(8)] long GunNodesDeleted,
    [property: Id(9)] long PropagatorsForgotten,
    [property: Id(10)] long Unreadable,
    [property: Id(11)] StorageSize Before,
    [property: Id(12)] StorageSize After,
    [property: Id(13)] CompactionSamples? Samples = null)
{
    public long BytesFreed => Before.TotalPayloadBytes - After.TotalPayloadBytes;

    public long RowsFreed => Before.TotalRows - After.TotalRows;
}

/// <summary>How much the service stores: rows and payload bytes, per state name.</summary>
[GenerateSerializer, Immutable, Alias("os.storage-size")]
public sealed record StorageSize([property: Id(0)] IReadOnlyDictionary<string, long> Rows, [property: Id(1)] IReadOnlyDictionary<string, long> PayloadBytes)
{
    public long TotalRows => Rows.Values.Sum();

    public long TotalPayloadBytes => PayloadBytes.Values.Sum();
}
