using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansSync.Machines;
using OrleansSync.Premises;

namespace OrleansSync.Grains.Propagation;

/// <summary>
/// Calls searches back when their network's propagation is quiescent (the four-counter method over every silo, as
/// clients wait, but not counting pending search decisions — those are what is waiting). One sampling loop per
/// network on this silo, however many searches of it wait.
/// </summary>
public sealed partial class QuiescenceWatcher(IGrainFactory grains, ILogger<QuiescenceWatcher> logger)
{
    private readonly ConcurrentDictionary<string, Waiting> _networks = new(StringComparer.Ordinal);

    public void WhenQuiescent(string network, string search)
    {
        var waiting = _networks.GetOrAdd(network, static _ => new Waiting());
        lock (waiting)
        {
            waiting.Searches.Add(search);
            if (waiting.Running) return;
            waiting.Running = true;
        }
        _ = Task.Run(() => Watch(network, waiting));
    }

    private async Task Watch(string network, Waiting waiting)
    {
        var monitor = grains.GetGrain<IPropagationMonitorGrain>(0);
        var delay = TimeSpan.FromMilliseconds(1);
        // Pending decisions and writes are left out: the decisions are what waits here, and writes need not.
        var waves = new QuiescenceWaves<(string, string, long, long)>();
        // The searches this round decides: those waiting when its first wave was read. One that asks later may have been
        // asked by work the waves did not see, so it waits for the next quiet moment.
        string[] searches = [];
        while (true)
        {
            try
            {
                if (waves.AtFirstWave)
                {
                    lock (waiting) searches = [.. waiting.Searches.Order(StringComparer.Ordinal)];
                }
                var sample = (await monitor.Sample(network)).Select(c => (c.Machine, c.Incarnation, c.Started, c.Finished)).ToArray();
                var verdict = waves.Next(sample, settled: sample.Sum(c => c.Started) == sample.Sum(c => c.Finished));
                if (verdict == WaveVerdict.Quiescent)
                {
                    lock (waiting) waiting.Searches.ExceptWith(searches);
                    await Task.WhenAll(searches.Select(s => Decide(s)));
                    lock (waiting)
                    {
                        if (waiting.Searches.Count == 0)
                        {
                            waiting.Running = false;
                            return;
                        }
                    }
                    delay = TimeSpan.FromMilliseconds(1);
                    continue;
                }
                if (verdict == WaveVerdict.SampleAtOnce) continue;
            }
            catch (Exception error)
            {
                LogSampleFailed(error, network);
                waves.Forget();
            }
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10));
        }
    }

    private async Task Decide(string search)
    {
        try
        {
            await grains.GetGrain<ISearchGrain>(search).Decide();
        }
        catch (Exception error)
        {
            LogDecideFailed(error, search);
        }
    }

    private sealed class Waiting
    {
        public HashSet<string> Searches { get; } = new(StringComparer.Ordinal);

        public bool Running { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sampling the counters of network '{Network}' failed; sampling again")]
    private partial void LogSampleFailed(Exception error, string network);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search {Search} could not decide")]
    private partial void LogDecideFailed(Exception error, string search);
}
