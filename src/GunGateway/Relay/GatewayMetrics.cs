using System.Diagnostics.Metrics;

namespace OrleansSync.GunGateway.Relay;

/// <summary>The relay's traffic as instruments (meter <c>OrleansSync.Gateway</c>), exported at the gateway's <c>/metrics</c>.</summary>
public static class GatewayMetrics
{
    public const string MeterName = "OrleansSync.Gateway";

    private static readonly Meter Meter = new(MeterName);
    private static Func<long>? _souls;
    private static Func<long>? _cells;

    /// <summary>Messages taken from peers, by <c>kind</c>: get, put, ack (of a push), dam (handshake), repeat (a seen id, dropped).</summary>
    public static readonly Counter<long> Messages = Meter.CreateCounter<long>("orleanssync.gun.messages", "{message}", "Gun messages received from peers");

    public static readonly Counter<long> Acks = Meter.CreateCounter<long>("orleanssync.gun.acks", "{put}", "Puts acknowledged: everything in them stored");

    /// <summary>Answers with <c>err</c>, by <c>kind</c>: invalid, refused, unavailable, deadline, internal.</summary>
    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("orleanssync.gun.errs", "{answer}", "Gets and puts answered with err");

    public static readonly Histogram<double> PutDuration = Meter.CreateHistogram<double>("orleanssync.gun.put.duration", "ms", "From a put's arrival to its answer",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000, 5000] });

    public static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>("orleanssync.gun.connections", "{connection}", "Open peer connections");

    /// <summary>Closed for a limit, by <c>reason</c>: rate, size, connections.</summary>
    public static readonly Counter<long> Refusals = Meter.CreateCounter<long>("orleanssync.gun.limit_refusals", "{connection}", "Connections refused or closed for a limit");

    static GatewayMetrics()
    {
        Meter.CreateObservableGauge("orleanssync.gun.subscriptions", Subscriptions, "{subscription}", "Souls and sync/ cells this gateway follows for its peers");
    }

    /// <summary>Where the subscription gauge reads from: the gateway's subscription tables (one gateway per process).</summary>
    public static void ObserveSubscriptions(Func<long> souls, Func<long> cells)
    {
        _souls = souls;
        _cells = cells;
    }

    private static IEnumerable<Measurement<long>> Subscriptions()
    {
        if (_souls is { } souls) yield return new(souls(), new KeyValuePair<string, object?>("kind", "soul"));
        if (_cells is { } cells) yield return new(cells(), new KeyValuePair<string, object?>("kind", "cell"));
    }
}
