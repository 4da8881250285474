using System.Diagnostics;
using OrleansSync.Machines;
using OrleansSync.Premises;
using OrleansSync.Propagators;

namespace OrleansSync.Propagators;

/// <summary>
/// Distributed termination detection by Mattern's four-counter method, per network. Every propagation message or
/// local run is counted as started by the silo that starts it, before it leaves, and as finished when its
/// processing (including the work it started) is done; work caused by a network's input counts for that network.
/// If two consecutive waves over all active silos read the same counters, in total started equals finished, and no
/// search decision is pending, then at the moment between the waves nothing of that network was in flight and
/// nothing could start again without outside input. Other networks' work is not counted, so it never delays this one.
/// </summary>
public static class Quiescence
{
    public static async Task<QuiescenceReport> WaitAsync(IGrainFactory grains, string network, TimeSpan timeout, bool durable = false,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var monitor = grains.GetGrain<IPropagationMonitorGrain>(0);
        var waves = new QuiescenceWaves<PropagationCounters>();
        IReadOnlyList<PropagationCounters>? last = null;
        var delay = TimeSpan.FromMilliseconds(1);
        Exception? lastError = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var sample = await monitor.Sample(network);
                var settled = Balanced(sample) && sample.Sum(c => c.PendingDecisions) == 0 && (!durable || sample.Sum(c => c.PendingWrites) == 0);
                var verdict = waves.Next(sample, settled);
                if (verdict == WaveVerdict.Quiescent)
                {
                    var board = await grains.GetGrain<INetworkGrain>(INetworkGrain.KeyOf(network)).GetReport();
                    ClientMetrics.QuiescenceWaits.Record(clock.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", "quiescent"));
                    return new QuiescenceReport(sample, board.Contradictions, clock.Elapsed, network, board.Search);
                }
                lastError = null;
                last = sample;
                if (verdict == WaveVerdict.SampleAtOnce) continue;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // Right after a silo starts its machine may not be known cluster-wide yet: sample again.
                waves.Forget();
                last = null;
                lastError = error;
            }
            if (clock.Elapsed > timeout)
            {
                ClientMetrics.QuiescenceWaits.Record(clock.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("outcome", "timeout"));
                throw new TimeoutException($"Network '{network}' did not become quiescent within {timeout}; last counters: " +
                    (last is null ? "(none)" : string.Join(", ", last.Select(c => $"{c.Machine} {c.Started}/{c.Finished} decisions {c.PendingDecisions} writes {c.PendingWrites}"))),
                    lastError);
            }
            await Task.Delay(delay, cancellationToken);
            // Sample often while the wait is short and less often as it grows: detection adds at most a few percent.
            delay = TimeSpan.FromMilliseconds(Math.Clamp(clock.Elapsed.TotalMilliseconds / 20, 1, 10));
        }
    }

    /// <summary>Started equals finished over all silos: nothing counted is in flight.</summary>
    public static bool Balanced(IReadOnlyList<PropagationCounters> sample) => sample.Sum(c => c.Started) == sample.Sum(c => c.Finished);
}
