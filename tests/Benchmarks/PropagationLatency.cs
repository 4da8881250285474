using System.Diagnostics;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Propagation through networks of grains, from telling the first cell to quiescence, against the same
/// network in the in-process scheduler (the ceiling). Each round tells a narrower interval, so every cell
/// changes and every propagator runs again on the same network.
/// </summary>
public static class PropagationLatency
{
    public enum Shape { Chain, FanOut }

    public sealed record Result(string Name, Shape Shape, int Size, int Rounds, TimeSpan Elapsed, TimeSpan? UntilStored = null, TimeSpan? Telling = null)
    {
        /// <summary>Per hop or propagator once the tell was acknowledged (the told cell's own durable write excluded).</summary>
        public double MicrosecondsPerStepAfterTell => (Elapsed - (Telling ?? TimeSpan.Zero)).TotalMilliseconds * 1000 / Rounds / Size;

        /// <summary>From the tell until every changed cell is stored (derived contents are written behind).</summary>
        public double StoredMillisecondsPerRound => (UntilStored ?? Elapsed).TotalMilliseconds / Rounds;

        /// <summary>Per hop for a chain (hops run one after another), per propagator for a fan-out.</summary>
        public double MicrosecondsPerStep => Elapsed.TotalMilliseconds * 1000 / Rounds / Size;

        public double MillisecondsPerRound => Elapsed.TotalMilliseconds / Rounds;
    }

    private const int MinimumWarmUpRounds = 3;
    private const int MaximumWarmUpRounds = 200;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(3);

    private static Interval Round(int r) => new(0, 2000 - r);

    private static IEnumerable<PropagatorSpec> Network(Shape shape, int size, Func<int, string> machine) => shape switch
    {
        // cell_i → +1 → cell_i+1
        Shape.Chain => Enumerable.Range(0, size).Select(i => new PropagatorSpec(
            PropagatorIds.New(machine(i), $"chain-{i}"), BuiltInPropagators.Add, [$"c{i}", "one"], [$"c{i + 1}"], [])),
        // one cell feeding every propagator
        _ => Enumerable.Range(0, size).Select(i => new PropagatorSpec(
            PropagatorIds.New(machine(i), $"fan-{i}"), BuiltInPropagators.Add, ["c0", "one"], [$"out{i}"], [])),
    };

    private static string Last(Shape shape, int size) => shape == Shape.Chain ? $"c{size}" : $"out{size - 1}";

    private static double Expected(Shape shape, int size, int round) => Round(round).Hi + (shape == Shape.Chain ? size : 1);

    public static Result InProcess(Shape shape, int size, int rounds)
    {
        var network = new LocalNetwork(MergeRegistry.Default);
        network.Attach(new PropagatorSpec("L/one", BuiltInPropagators.Constant, [], ["one"], [new NumberValue(1)]));
        foreach (var spec in Network(shape, size, _ => "L")) network.Attach(spec);
        network.Run();
        var stopwatch = new Stopwatch();
        for (var r = 0; r < rounds; r++)
        {
            stopwatch.Start();
            network.Tell("c0", Round(r));
            network.Run();
            stopwatch.Stop();
            Check(network.Strongest(Last(shape, size)), Expected(shape, size, r));
        }
        return new Result("in-process scheduler (ceiling)", shape, size, rounds, stopwatch.Elapsed);
    }

    public static async Task<Result> OnGrains(string name, SiloSettings settings, int silos, Shape shape, int size, int rounds)
    {
        await using var cluster = await BenchCluster.StartAsync(settings, silos);
        var network = cluster.Network();
        var timeout = TimeSpan.FromMinutes(10);

        string Machine(int i) => ((char)('A' + i % silos)).ToString();
        await network.Constant("A", new NumberValue(1), "one");
        var specs = Network(shape, size, Machine).ToArray();
        // Set up a few at a time.
        for (var i = 0; i < specs.Length; i += 16) await Task.WhenAll(specs.Skip(i).Take(16).Select(network.Create));
        await network.WaitForQuiescence(timeout, durable: true);

        // Warm-up rounds first (activations, and the JIT's tiering: a fresh process runs unoptimised code for its first
        // second or so, and the in-process ceiling is measured over 200 warm rounds); each round starts once the last one
        // is stored, so one round's writes behind do not land in the next one's time.
        var propagation = new Stopwatch();
        var stored = new Stopwatch();
        var telling = new Stopwatch();
        var warming = Stopwatch.StartNew();
        var warmUp = 0;
        while (warmUp < MinimumWarmUpRounds || (warming.Elapsed < WarmUpTime && warmUp < MaximumWarmUpRounds)) await OneRound(warmUp++, measured: false);
        for (var r = 0; r < rounds; r++) await OneRound(warmUp + r, measured: true);

        async Task OneRound(int r, bool measured)
        {
            if (measured)
            {
                propagation.Start();
                stored.Start();
                telling.Start();
            }
            await network.Tell("c0", Round(r));
            telling.Stop();
            await network.WaitForQuiescence(timeout);
            propagation.Stop();
            await network.WaitForQuiescence(timeout, durable: true);
            stored.Stop();
            Check(await network.Strongest(Last(shape, size)), Expected(shape, size, r));
        }

        return new Result(name, shape, size, rounds, propagation.Elapsed, stored.Elapsed, telling.Elapsed);
    }

    private static void Check(PartialInfo actual, double expectedHi)
    {
        if (actual is not Interval i || i.Hi != expectedHi)
            throw new InvalidOperationException($"Propagation did not finish: expected upper bound {expectedHi}, got {actual}.");
    }
}
