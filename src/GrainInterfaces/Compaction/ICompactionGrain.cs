using Orleans.Concurrency;

namespace OrleansSync.Compaction;

/// <summary>
/// The operator's compaction: marks every cell reachable from the roots, moves the rest to the archive,
/// deletes archived cells and disposed propagators past their retention, and forgets old Gun tombstones —
/// while the service keeps running. One compaction runs at a time; it runs in the background and reports
/// progress through <see cref="GetStatus"/>.
/// </summary>
[Alias("OrleansSync.ICompactionGrain")]
public interface ICompactionGrain : IGrainWithStringKey
{
    public const string Key = "compaction";

    /// <summary>Starts a compaction, or returns the status of the one already running.</summary>
    [Alias("Start")]
    Task<CompactionStatus> Start(CompactionRequest request);

    [AlwaysInterleave, Alias("GetStatus")]
    Task<CompactionStatus> GetStatus();
}
