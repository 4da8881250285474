using System.Diagnostics;
using System.Globalization;
using OrleansSync.Lattice;
using OrleansSync.Propagators;
using OrleansSync.TestSupport.Puzzles;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Searches are scoped to the ambs that share contradictions (two silos, SQLite). The multiple-dwelling puzzle,
/// solved: alone; again after 4,000 unrelated ambs were registered in the same network; and 200 copies, each its own
/// network, started at once against 200 solved one after another.
/// </summary>
public static class SearchBenchmark
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    public static async Task Run(int copies, int unrelated)
    {
        await using var cluster = await BenchCluster.StartAsync(silos: 2);
        string On(int i) => cluster.Machines[i % cluster.Machines.Count];

        // The network is built (its ambs make their first choices), then the requirements are told: from then on it is
        // the search that runs, and that is what is timed; the whole solve is timed for the 200 copies.
        async Task<(TimeSpan Elapsed, QuiescenceReport Report)> Solve(string network, string prefix)
        {
            var net = cluster.Network(network);
            string Cell(string name) => $"{prefix}.{name}";
            foreach (var spec in MultipleDwelling.Propagators(Cell, On, network)) await net.Create(spec);
            await net.WaitForQuiescence(Timeout);
            var clock = Stopwatch.StartNew();
            foreach (var (cell, value) in MultipleDwelling.Requirements(Cell)) await net.Tell(cell, value);
            var report = await net.WaitForQuiescence(Timeout);
            clock.Stop();
            var floors = new List<double>();
            foreach (var person in MultipleDwelling.People) floors.Add(MultipleDwelling.Floor(await net.Strongest(Cell(person))));
            if (!floors.SequenceEqual(MultipleDwelling.Answer) || report.Contradictions.Count > 0)
                throw new InvalidOperationException($"Wrong answer ({string.Join(" ", floors)}) or contradictions left: {report.Contradictions.Count}");
            return (clock.Elapsed, report);
        }

        // Warm-up: code paths and the first activations.
        await Solve("warm-up", "w");
        var alone = new List<TimeSpan>();
        QuiescenceReport? first = null;
        for (var i = 0; i < 9; i++)
        {
            var (elapsed, report) = await Solve("dwelling", $"alone{i}");
            alone.Add(elapsed);
            first ??= report;
        }

        var ambs = cluster.Network("dwelling");
        var values = new PartialInfo[] { new NumberValue(1), new NumberValue(2) };
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < unrelated) await ambs.Amb(On(i), $"unrelated{i}", values);
        }));
        await ambs.WaitForQuiescence(Timeout);
        var crowded = new List<TimeSpan>();
        for (var i = 0; i < 9; i++) crowded.Add((await Solve("dwelling", $"crowded{i}")).Elapsed);

        var sequential = Stopwatch.StartNew();
        for (var i = 0; i < copies; i++) await Solve($"sequential-{i}", $"s{i}");
        sequential.Stop();
        var concurrent = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, copies).Select(i => Solve($"concurrent-{i}", $"c{i}")));
        concurrent.Stop();

        static double Median(List<TimeSpan> times) => times.Select(t => t.TotalMilliseconds).Order().ElementAt(times.Count / 2);
        Console.WriteLine();
        Console.WriteLine($"Multiple dwelling: (3 2 4 5 1), {first!.Search}.");
        Console.WriteLine();
        Console.WriteLine("| run | ms | ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the search alone: requirements told → quiescent (median of 9) | {Median(alone):F0} | 1.00 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the search with {unrelated:N0} unrelated ambs registered in its network (median of 9) | {Median(crowded):F0} | {Median(crowded) / Median(alone):F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {copies} whole solves (build + search) one after another | {sequential.Elapsed.TotalMilliseconds:F0} | 1.00 |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {copies} whole solves, each its own network, at once | {concurrent.Elapsed.TotalMilliseconds:F0} | {concurrent.Elapsed / sequential.Elapsed:F2} |"));
    }
}
