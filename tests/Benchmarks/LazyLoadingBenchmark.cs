using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.TestSupport;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Lazy loading at scale: a silo process on SQLite; create many cells (every tenth a carried cell holding the
/// two cells before it), let them go idle, and report cell activations and the silo's memory before, at the
/// peak, and after idle collection; then touch some of them and time their reload from storage.
/// </summary>
public static partial class LazyLoadingBenchmark
{
    public static async Task Run(int cells, int touch, TimeSpan collectionAge)
    {
        using var data = new TempDirectory("orleanssync-lazy-");
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["OrleansSync:Storage"] = "Sqlite",
            ["OrleansSync:DataDirectory"] = data.Path,
            ["OrleansSync:MachineId"] = "bench",
            ["OrleansSync:CollectionAge"] = collectionAge.ToString("c", CultureInfo.InvariantCulture),
            ["OrleansSync:MemoryTrim:Interval"] = "00:00:10",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:OrleansSync"] = "Information",
        }, environment: new Dictionary<string, string> { ["MALLOC_ARENA_MAX"] = "2" });
        await using var client = await OrleansClient.ConnectLocalhostAsync(silo.GatewayPort);
        var grains = client.Client;
        var management = grains.GetGrain<IManagementGrain>(0);
        async Task<int> CellActivations() =>
            (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("CellGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        double Rss() => ResidentMemory.Megabytes(silo.ProcessId);
        static string Id(int i) => $"lazy/{i}";
        PartialInfo Value(int i) => i % 10 == 9 ? CarriedCell.Map(("a", Id(i - 1)), ("b", Id(i - 2))) : new NumberValue(i);

        // Baseline: the silo up and idle for a moment.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var baseline = Rss();
        Console.WriteLine($"baseline: silo {baseline:F0} MB, {await CellActivations()} cell activations");

        var peakRss = baseline;
        var peakActivations = 0;
        var next = -1;
        var created = Stopwatch.StartNew();
        var reported = 0;
        var workers = Enumerable.Range(0, 256).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < cells; i = Interlocked.Increment(ref next))
                await grains.GetGrain<ICellGrain>(Id(i)).Merge(Value(i));
        }).ToList();
        var all = Task.WhenAll(workers);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10)));
            var done = Math.Min(Volatile.Read(ref next), cells);
            var activations = await CellActivations();
            peakActivations = Math.Max(peakActivations, activations);
            peakRss = Math.Max(peakRss, Rss());
            if (done - reported >= cells / 10 || all.IsCompleted)
            {
                reported = done;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{done:N0} cells in {created.Elapsed.TotalSeconds:F0} s ({done / created.Elapsed.TotalSeconds:N0}/s): silo {Rss():F0} MB, {activations:N0} cell activations"));
            }
        }
        await all;
        var createSeconds = created.Elapsed.TotalSeconds;
        var atEnd = (Rss(), await CellActivations());
        peakActivations = Math.Max(peakActivations, atEnd.Item2);
        peakRss = Math.Max(peakRss, atEnd.Item1);

        // Idle: every cell deactivates after the collection age; the silo then trims its memory by itself.
        var idle = Stopwatch.StartNew();
        int left;
        while ((left = await CellActivations()) > 0 && idle.Elapsed < collectionAge * 4 + TimeSpan.FromMinutes(2))
            await Task.Delay(TimeSpan.FromSeconds(5));
        var collectedAfter = idle.Elapsed;
        var trimmed = await WaitForTrim(silo, TimeSpan.FromSeconds(60));
        var afterIdle = Rss();
        Console.WriteLine($"idle: {left} cell activations after {collectedAfter.TotalSeconds:F0} s; trim logged: {trimmed}; silo {afterIdle:F0} MB");
        foreach (var line in silo.Output.Split('\n').Where(l => l.Contains("returned free memory", StringComparison.Ordinal))) Console.WriteLine("silo: " + line.Trim());
        // For looking inside the idle silo (dotnet-gcdump, /proc/PID/smaps) before the touch phase.
        if (int.TryParse(Environment.GetEnvironmentVariable("LAZYBENCH_HOLD_SECONDS"), out var hold))
        {
            Console.WriteLine($"holding {hold} s: silo pid {silo.ProcessId}");
            await Task.Delay(TimeSpan.FromSeconds(hold));
        }

        // Touch: reload some cells from storage, one at a time (latency) and all at once (throughput).
        var random = new Random(42);
        var sample = Enumerable.Range(0, touch).Select(_ => random.Next(cells)).Distinct().ToArray();
        var latencies = new List<double>();
        foreach (var i in sample[..(sample.Length / 2)])
        {
            var watch = Stopwatch.StartNew();
            var strongest = await grains.GetGrain<ICellGrain>(Id(i)).GetStrongest();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            if (!strongest.Equals(Value(i))) throw new InvalidOperationException($"cell {i} reloaded as {strongest}");
        }
        var batch = Stopwatch.StartNew();
        var reloaded = await Task.WhenAll(sample[(sample.Length / 2)..].Select(i => grains.GetGrain<ICellGrain>(Id(i)).GetStrongest()));
        var batchMs = batch.Elapsed.TotalMilliseconds;
        if (sample[(sample.Length / 2)..].Where((i, k) => !reloaded[k].Equals(Value(i))).Any()) throw new InvalidOperationException("a cell reloaded wrong");
        latencies.Sort();
        var afterTouch = (Rss(), await CellActivations());
        var store = await SqliteStore.MeasureAsync(data.Path);

        Console.WriteLine();
        Console.WriteLine($"| {cells:N0} cells (every tenth carried), collection age {collectionAge.TotalSeconds:F0} s | silo RSS MB | cell activations |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| before | {baseline:F0} | 0 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| peak, while creating ({cells / createSeconds:N0} cells/s, {createSeconds:F0} s) | {peakRss:F0} | {peakActivations:N0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| after idle collection ({collectedAfter.TotalSeconds:F0} s) and trim | {afterIdle:F0} ({(afterIdle - baseline) / baseline:P0} vs before) | {left:N0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| after touching {sample.Length:N0} | {afterTouch.Item1:F0} | {afterTouch.Item2:N0} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Reload from storage: one at a time p50 {latencies[latencies.Count / 2]:F2} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F2} ms ({latencies.Count} cells); {sample.Length - latencies.Count} at once in {batchMs:F0} ms."));
        Console.WriteLine($"Storage: {store.Describe("cell")}.");
    }

    /// <summary>
    /// The silo logs each time it returns memory ("Activations fell from P to N"); waiting for a line with N near zero
    /// is waiting for the trim after the last collection, not for one that happened earlier, under load.
    /// </summary>
    private static async Task<bool> WaitForTrim(SiloProcess silo, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (TrimLine().Matches(silo.Output).Any(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) < 1_000)) return true;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return false;
    }

    [GeneratedRegex(@"Activations fell from \d+ to (\d+): returned free memory")]
    private static partial Regex TrimLine();
}
