using System.Diagnostics;
using System.Globalization;
using OrleansSync.Lattice;
using OrleansSync.Propagation;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Creating propagators at scale (one silo, SQLite): a chain c_i + one → c_i+1 of N propagators, so one cell ("one")
/// is read by all of them and every other cell by one and written by one. Measured for N = 1,000, 10,000, 100,000 in
/// fresh clusters: milliseconds per propagator (all of them, and the last thousand alone), and the largest stored row.
/// </summary>
public static class ScaleBenchmark
{
    private const int InFlight = 64;

    public sealed record Result(int Propagators, TimeSpan Elapsed, TimeSpan LastThousand, string LargestState, long LargestRow, TimeSpan Propagation)
    {
        public double MsPerPropagator => Elapsed.TotalMilliseconds / Propagators;

        public double MsPerPropagatorAtTheEnd => LastThousand.TotalMilliseconds / Math.Min(1000, Propagators);
    }

    public static async Task Run(IReadOnlyList<int> sizes)
    {
        Console.WriteLine($"Creating chains of N propagators on one silo (SQLite), {InFlight} creations in flight.");
        var results = new List<Result>();
        foreach (var size in sizes) results.Add(await Create(size));

        Console.WriteLine();
        Console.WriteLine("| propagators | total s | ms per propagator | ms per propagator, last 1,000 | ÷ smallest run | largest row | a change through the chain, µs per hop |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|---:|");
        var smallest = results[0];
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Propagators:N0} | {r.Elapsed.TotalSeconds:F1} | {r.MsPerPropagator:F3} | {r.MsPerPropagatorAtTheEnd:F3} | {r.MsPerPropagator / smallest.MsPerPropagator:F2} | {r.LargestRow:N0} B ({r.LargestState}) | {r.Propagation.TotalMicroseconds / r.Propagators:F1} |"));
        var largest = results[^1];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"At the measured rate, 1,000,000 propagators would take about {largest.MsPerPropagator * 1_000_000 / 60_000:F0} minutes ({largest.MsPerPropagatorAtTheEnd * 1_000_000 / 60_000:F0} at the rate of the last thousand)."));
    }

    private static async Task<Result> Create(int size)
    {
        // Idle grains are collected after two minutes, as a long-lived service would do with its working set.
        await using var cluster = await BenchCluster.StartAsync(collectionAge: TimeSpan.FromMinutes(2));
        // Warm-up, not timed: code paths, the first activations, the SQLite file and page cache.
        var warmUp = cluster.Network("warm-up");
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i =>
            warmUp.Create(new PropagatorSpec(PropagatorIds.New("A", $"w{i}"), BuiltInPropagators.Identity, [$"w{i}"], [$"w{i + 1}"], []))));
        await warmUp.WaitForQuiescence(TimeSpan.FromMinutes(5), durable: true);
        var network = cluster.Network("scale");
        await network.Constant("A", new NumberValue(1), "one");
        var specs = Enumerable.Range(0, size).Select(i =>
            new PropagatorSpec(PropagatorIds.New("A", $"p{i}"), BuiltInPropagators.Add, [$"c{i}", "one"], [$"c{i + 1}"], [])).ToArray();

        var clock = Stopwatch.StartNew();
        var lastThousandFrom = TimeSpan.Zero;
        var next = -1;
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < specs.Length)
            {
                await network.Create(specs[i]);
                if (Interlocked.Increment(ref done) == size - Math.Min(1000, size)) lastThousandFrom = clock.Elapsed;
                if (done % 10_000 == 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done:N0} created, {clock.Elapsed.TotalSeconds:F0} s"));
            }
        }));
        var elapsed = clock.Elapsed;
        await network.WaitForQuiescence(TimeSpan.FromMinutes(30), durable: true);

        // And the network works: one change runs through the whole chain.
        var propagation = Stopwatch.StartNew();
        await network.Tell("c0", new NumberValue(0));
        await network.WaitForQuiescence(TimeSpan.FromMinutes(30));
        propagation.Stop();
        var last = await network.Strongest($"c{size}");
        if (!last.Equals(new NumberValue(size))) throw new InvalidOperationException($"The chain of {size} gave {last}.");
        await network.WaitForQuiescence(TimeSpan.FromMinutes(30), durable: true);

        var (state, bytes) = await cluster.LargestRowAsync();
        var result = new Result(size, elapsed, elapsed - lastThousandFrom, state, bytes, propagation.Elapsed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{size:N0} propagators: {result.MsPerPropagator:F3} ms each ({result.MsPerPropagatorAtTheEnd:F3} for the last thousand), largest row {bytes:N0} B ({state})"));
        return result;
    }
}
