namespace OrleansSync.Compaction;

/// <summary>
/// How long things the service no longer needs are kept: archived cells (restorable until then), Gun
/// <c>null</c> tombstones (so peers that were away still learn of deletions), and disposed propagators' rows.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.compaction-request")]
public sealed record CompactionRequest(
    [property: Id(0)] TimeSpan ArchiveRetention,
    [property: Id(1)] TimeSpan TombstoneRetention,
    [property: Id(2)] TimeSpan PropagatorRetention)
{
    public static CompactionRequest Default { get; } = new(TimeSpan.FromDays(30), TimeSpan.FromDays(7), TimeSpan.FromDays(30));

    public void Validate()
    {
        if (ArchiveRetention < TimeSpan.Zero || TombstoneRetention < TimeSpan.Zero || PropagatorRetention < TimeSpan.Zero)
            throw new ArgumentException("Retentions must not be negative.");
    }
}
