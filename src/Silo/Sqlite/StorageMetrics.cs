using System.Diagnostics.Metrics;

namespace OrleansSync.Silo.Sqlite;

/// <summary>SQLite group commit as instruments (meter <c>OrleansSync.Storage</c>): how many writes share a transaction, and how long it takes.</summary>
public static class StorageMetrics
{
    public const string MeterName = "OrleansSync.Storage";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<int> GroupCommitBatch = Meter.CreateHistogram<int>("orleanssync.sqlite.group_commit.batch_size", "{write}", "Writes committed in one SQLite transaction",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    public static readonly Histogram<double> GroupCommitDuration = Meter.CreateHistogram<double>("orleanssync.sqlite.group_commit.duration", "ms", "Time to run and commit one SQLite transaction",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000] });

    public static readonly Counter<long> GroupCommitFailures = Meter.CreateCounter<long>("orleanssync.sqlite.group_commit.failures", "{transaction}", "SQLite transactions that failed as a whole");
}
