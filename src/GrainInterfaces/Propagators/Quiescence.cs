using System.Diagnostics;
using OrleansSync.Machines;
using OrleansSync.Premises;

namespace OrleansSync.Propagators;

/// <summary>
/// Distributed termination detection by Mattern's four-counter method. Every propagation message is
/// counted as started by the silo that sends it, before it leaves, and as finished when its processing
/// (including the messages it started) is done. If two consecutive waves over all active silos read the
/// same counters, and in total started equals finished, then at the moment between the waves nothing was
/// in flight and nothing could start again without outside input.
/// </summary>
public static class Quiescence
{
    public static async Task<QuiescenceReport> WaitAsync(IGrainFactory grains, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var monitor = grains.GetGrain<IPropagationMonitorGrain>(0);
        IReadOnlyList<PropagationCounters>? previous = null;
        var delay = TimeSpan.FromMilliseconds(1);
        Exception? lastError = null;
        var confirming = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var sample = await monitor.Sample();
                var balanced = Balanced(sample);
                if (previous is not null && balanced && sample.SequenceEqual(previous))
                {
                    var world = await grains.GetGrain<IWorldviewGrain>(IWorldviewGrain.Key).GetSnapshot();
                    return new QuiescenceReport(sample, world.Contradictions, clock.Elapsed);
                }
                lastError = null;
                previous = sample;
                if (balanced && !confirming)
                {
                    // Looks finished: confirm with a second wave at once rather than after a delay (once in a row).
                    confirming = true;
                    continue;
                }
                confirming = false;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // Right after a silo starts its machine may not be known cluster-wide yet: sample again.
                previous = null;
                lastError = error;
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"The network did not become quiescent within {timeout}; last counters: " +
                    (previous is null ? "(none)" : string.Join(", ", previous.Select(c => $"{c.Machine} {c.Started}/{c.Finished}"))), lastError);
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10));
        }
    }

    private static bool Balanced(IReadOnlyList<PropagationCounters> sample) =>
        sample.Sum(c => c.Started) == sample.Sum(c => c.Finished);
}
