using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Silo.Hosting;
using OrleansSync.Silo.Schema;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Merges per second into a set of cells from concurrent callers through a real Orleans client and silo,
/// with every merge changing the content (the worst case: each one is a storage write).
/// </summary>
public static class MergeThroughput
{
    public sealed record Result(string Name, int Merges, TimeSpan Elapsed, double P50Ms, double P99Ms)
    {
        public double PerSecond => Merges / Elapsed.TotalSeconds;
    }

    // A new element each time, so every merge changes its cell and costs a storage write.
    private static string Item(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The ceiling: the same merges into the same number of cells, applied in process to an array of
    /// contents (no grains, no storage), repeated on fresh contents to get a measurable time.
    /// </summary>
    public static Result InProcess(int cells, int merges, int rounds)
    {
        var registry = MergeRegistry.Default;
        var stopwatch = new Stopwatch();
        for (var round = 0; round < rounds; round++)
        {
            var contents = Enumerable.Repeat((PartialInfo)GrowSet.Of("warm-up"), cells).ToArray();
            var random = new Random(round);
            stopwatch.Start();
            for (var i = 0; i < merges; i++)
            {
                var cell = random.Next(cells);
                contents[cell] = registry.Merge(contents[cell], GrowSet.Of(Item(i)));
            }
            stopwatch.Stop();
        }
        return new Result("in-process lattice merges (ceiling)", merges * rounds, stopwatch.Elapsed, 0, 0);
    }

    public static async Task<Result> ThroughSilo(string name, SiloSettings settings, int cells, int merges, int callers)
    {
        await SchemaInstaller.EnsureAsync(settings);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansSyncGrains(settings);
            silo.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        });
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var client = cluster.Client;

        // Warm up: activate every cell (load from storage) and JIT the paths.
        await Task.WhenAll(Enumerable.Range(0, cells).Select(c => client.GetGrain<ICellGrain>($"bench-{c}").Merge(GrowSet.Of("warm-up"))));

        var latencies = new double[merges];
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
        {
            var random = new Random(caller);
            int i;
            while ((i = Interlocked.Increment(ref next)) < merges)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await client.GetGrain<ICellGrain>($"bench-{random.Next(cells)}").Merge(GrowSet.Of(Item(i)));
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!result.Changed) throw new InvalidOperationException("every benchmark merge must change its cell");
            }
        }));
        stopwatch.Stop();
        Array.Sort(latencies);
        return new Result(name, merges, stopwatch.Elapsed, latencies[merges / 2], latencies[(int)(merges * 0.99)]);
    }
}
