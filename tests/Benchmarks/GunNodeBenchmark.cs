using System.Diagnostics;
using System.Globalization;
using OrleansSync.Gun;

namespace OrleansSync.Benchmarks;

/// <summary>
/// What a one-key put costs as the node grows: a node of <c>small</c> keys and one of <c>large</c> keys (one silo,
/// SQLite, durable), then the same number of one-key puts to each, one after another. The cost per put should not
/// follow the node's size (within 1.5× at 10×).
/// </summary>
public static class GunNodeBenchmark
{
    public static async Task Run(int small, int large, int puts)
    {
        await using var cluster = await BenchCluster.StartAsync();
        var results = new List<(int Keys, double MsPerPut, long LargestRow)>();
        // The first size runs once unmeasured (a cold silo, SQLite and JIT would be charged to the smaller node).
        foreach (var (size, run) in new[] { (small, "warm-up"), (small, "small"), (large, "large") })
        {
            var soul = $"bench/node-{size}-{run}";
            var node = cluster.Client.GetGrain<IGunNodeGrain>(soul);
            var state = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
            for (var i = 0; i < size; i += 500)
                await node.Put(new GunNodeDelta(soul, Enumerable.Range(i, Math.Min(500, size - i)).ToDictionary(k => $"key{k}", k => new GunField($"\"value {k}\"", state))));
            // Warm-up, then the measured puts: each one key, a new value, in turn over the node's keys.
            for (var i = 0; i < 100; i++) await node.Put(One(soul, i, state + 1));
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < puts; i++) await node.Put(One(soul, i * 7919 % size, state + 2 + i));
            if (run != "warm-up") results.Add((size, clock.Elapsed.TotalMilliseconds / puts, (await cluster.LargestRowAsync()).Bytes));
        }
        Console.WriteLine($"One-key puts to a Gun node, {puts:N0} each, one silo, SQLite (durable):");
        Console.WriteLine();
        Console.WriteLine("| keys in the node | ms per put | ÷ smaller | largest stored row, bytes |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Keys:N0} | {r.MsPerPut:F3} | {r.MsPerPut / results[0].MsPerPut:F2} | {r.LargestRow:N0} |"));
    }

    private static GunNodeDelta One(string soul, int key, double state) =>
        new(soul, new Dictionary<string, GunField> { [$"key{key}"] = new($"\"changed {state}\"", state) });
}
