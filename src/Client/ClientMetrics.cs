using System.Diagnostics.Metrics;

namespace OrleansSync;

/// <summary>What a client of the network waits for (meter <c>OrleansSync.Client</c>).</summary>
public static class ClientMetrics
{
    public const string MeterName = "OrleansSync.Client";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Quiescence waits, by <c>outcome</c> (quiescent, timeout).</summary>
    public static readonly Histogram<double> QuiescenceWaits = Meter.CreateHistogram<double>("orleanssync.quiescence.wait", "ms", "Waits for a network to become quiescent",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000, 30000] });
}
