using System.Diagnostics;
using System.Globalization;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Costs that must follow what an operation touches, not the size of the system (one silo, SQLite), each at two
/// sizes in fresh clusters:
/// <list type="bullet">
/// <item>kicking out and bringing in a premise that 100 cells depend on, among 1,000 or 10,000 cells;</item>
/// <item>building a fan-out of F propagators reading one cell, F = 1,000 or 10,000 (cost per propagator);</item>
/// <item>registering N cells with one premise, N = 1,000 or 10,000 (cost per cell);</item>
/// <item>waiting for one network's quiescence while another network keeps propagating.</item>
/// </list>
/// </summary>
public static class ScopeBenchmark
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private const int InFlight = 64;

    public static async Task Run(int small, int large)
    {
        var rows = new List<string>();
        var kick = new[] { await KickOut(small), await KickOut(large) };
        rows.Add(Row($"kick out + bring in a premise 100 cells depend on, among N cells", kick, "ms per kick-out and bring-in"));
        var fan = new[] { await FanOut(small), await FanOut(large) };
        rows.Add(Row("build a fan-out of N propagators reading one cell", fan, "ms per propagator"));
        var premise = new[] { await OnePremise(small), await OnePremise(large) };
        rows.Add(Row("register N cells with one premise (tell each a value it supports)", premise, "ms per cell"));

        Console.WriteLine();
        Console.WriteLine($"| operation | unit | N = {small:N0} | N = {large:N0} | ÷ |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var row in rows) Console.WriteLine(row);

        await Isolation();
    }

    private static string Row(string what, (int N, double Cost)[] runs, string unit) => string.Create(CultureInfo.InvariantCulture,
        $"| {what} | {unit} | {runs[0].Cost:F3} | {runs[1].Cost:F3} | {runs[1].Cost / runs[0].Cost:F2} |");

    /// <summary>N cells with supported values, 100 of them on premise p (each read by a propagator); the rest on other premises.</summary>
    private static async Task<(int, double)> KickOut(int cells)
    {
        await using var cluster = await BenchCluster.StartAsync();
        var net = cluster.Network("kick");
        await Parallel(cells, async i =>
        {
            var premise = i < 100 ? "p" : $"q{i / 100}";
            await net.Tell($"cell{i}", Supported.By(new NumberValue(i), premise));
            if (i < 100) await net.Primitive("A", BuiltInPropagators.Identity, $"cell{i}", $"out{i}");
        });
        await net.WaitForQuiescence(Timeout, durable: true);

        const int rounds = 10;
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            await net.KickOut("p");
            await net.WaitForQuiescence(Timeout);
            await net.BringIn("p");
            await net.WaitForQuiescence(Timeout);
        }
        clock.Stop();
        if (!(await net.Strongest("out99")).Equals(Supported.By(new NumberValue(99), "p"))) throw new InvalidOperationException("out99 lost its value.");
        var ms = clock.Elapsed.TotalMilliseconds / rounds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kick-out among {cells:N0} cells: {ms:F1} ms per kick-out and bring-in"));
        return (cells, ms);
    }

    private static async Task<(int, double)> FanOut(int readers)
    {
        await using var cluster = await BenchCluster.StartAsync();
        var net = cluster.Network("fan");
        await net.Tell("hub", new MaxValue(1));
        var clock = Stopwatch.StartNew();
        await Parallel(readers, i => net.Primitive("A", BuiltInPropagators.Identity, "hub", $"out{i}"));
        clock.Stop();
        await net.WaitForQuiescence(Timeout);
        if (!(await net.Strongest($"out{readers - 1}")).Equals(new MaxValue(1))) throw new InvalidOperationException("The fan-out did not run.");
        var ms = clock.Elapsed.TotalMilliseconds / readers;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fan-out of {readers:N0}: {ms:F3} ms per propagator"));
        return (readers, ms);
    }

    private static async Task<(int, double)> OnePremise(int cells)
    {
        await using var cluster = await BenchCluster.StartAsync();
        var net = cluster.Network("premise");
        var clock = Stopwatch.StartNew();
        await Parallel(cells, i => net.Tell($"cell{i}", Supported.By(new NumberValue(i), "shared")));
        clock.Stop();
        var ms = clock.Elapsed.TotalMilliseconds / cells;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cells:N0} cells on one premise: {ms:F3} ms per cell"));
        return (cells, ms);
    }

    /// <summary>One network keeps a chain of 2,000 propagating (a new value as soon as the last one is through); another, idle, is waited for.</summary>
    private static async Task Isolation()
    {
        await using var cluster = await BenchCluster.StartAsync();
        var busy = cluster.Network("busy");
        var quiet = cluster.Network("quiet");
        await busy.Constant("A", new NumberValue(1), "one");
        await Parallel(2000, i => busy.Create(new PropagatorSpec(PropagatorIds.New("A", $"chain-{i}"), BuiltInPropagators.Add, [$"c{i}", "one"], [$"c{i + 1}"], [])));
        await quiet.Primitive("A", BuiltInPropagators.Add, "x", "y", "z");
        await quiet.Tell("x", new NumberValue(1));
        await quiet.Tell("y", new NumberValue(2));
        await busy.WaitForQuiescence(Timeout, durable: true);

        async Task<double> QuietWaits(Func<bool> more)
        {
            var clock = Stopwatch.StartNew();
            var waits = 0;
            for (; waits < 20 || more(); waits++) await quiet.WaitForQuiescence(Timeout);
            return clock.Elapsed.TotalMilliseconds / waits;
        }

        var alone = await QuietWaits(() => false);
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var busyWaits = new List<double>();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                await busy.Tell("c0", new Interval(0, 100_000 - Interlocked.Increment(ref rounds)));
                await busy.WaitForQuiescence(Timeout);
                busyWaits.Add(clock.Elapsed.TotalMilliseconds);
            }
        });
        // Let the load start.
        while (Volatile.Read(ref rounds) == 0) await Task.Yield();
        // For as long as ten rounds of the busy network take.
        var whileBusy = await QuietWaits(() => Volatile.Read(ref rounds) < 11);
        await stop.CancelAsync();
        await load;
        Console.WriteLine();
        Console.WriteLine("| wait for quiescence of an idle network | ms per wait |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| nothing else running | {alone:F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| while another network propagates through a chain of 2,000 ({rounds} rounds of {busyWaits.Average():F0} ms meanwhile) | {whileBusy:F2} |"));
    }

    private static async Task Parallel(int count, Func<int, Task> action)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await action(i);
        }));
    }
}
