using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansSync.GunGateway.Hosting;
using OrleansSync.GunGateway.Protocol;
using OrleansSync.GunGateway.Relay;
using OrleansSync.Lattice;

namespace OrleansSync.Benchmarks;

/// <summary>
/// What a peer's disconnect costs the relay as the gateway watches more: <c>small</c> and then <c>large</c> cells
/// (<c>sync/cells/{id}</c>) and as many Gun souls watched by other peers, then <c>probes</c> peers that each watched
/// 10 souls and 10 cells disconnect one after another. Timed is what a closing connection does to let go of them
/// (<see cref="GunConnection.Release"/>), in the relay's own classes over a one-silo cluster.
/// The cost per disconnect should follow what the peer watched, not what the gateway holds (within 1.5× at 30×).
/// </summary>
public static class DisconnectBenchmark
{
    private const int PerProbe = 10;

    public static async Task Run(int small, int large, int probes)
    {
        await using var cluster = await BenchCluster.StartAsync(sqlite: false);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(cluster.Client)
            .AddSingleton<IGrainFactory>(cluster.Client)
            .AddGunGateway(new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        var relay = services.GetRequiredService<GunRelay>();
        var connections = services.GetRequiredService<GunConnection>();
        var network = cluster.Network();

        var results = new List<(int Watched, double Median, double P90)>();
        var bystanders = new List<GunPeer>();
        var watched = 0;
        // The first round is unmeasured: a cold silo and JIT would be charged to the smaller size.
        foreach (var (size, measured) in new[] { (small, false), (small, true), (large, true) })
        {
            // Bystanders (100 per size step) watch cells and souls until the gateway holds `size` of each.
            var target = size;
            var peers = Enumerable.Range(0, 100).Select(_ => Peer()).ToList();
            bystanders.AddRange(peers);
            for (var i = watched; i < target; i += 500)
            {
                var batch = Enumerable.Range(i, Math.Min(500, target - i)).ToList();
                await Task.WhenAll(batch.Select(k => network.Tell($"disc-cell-{k}", new NumberValue(k))));
                await Task.WhenAll(batch.Select(async k =>
                {
                    var peer = peers[k % peers.Count];
                    await Get(relay, peer, $"sync/cells/disc-cell-{k}");
                    await Get(relay, peer, $"disc/soul-{k}");
                }));
            }
            watched = target;

            var probing = Enumerable.Range(0, probes).Select(_ => Peer()).ToList();
            foreach (var (peer, p) in probing.Select((peer, p) => (peer, p)))
                for (var k = 0; k < PerProbe; k++)
                {
                    await Get(relay, peer, $"sync/cells/disc-probe-{size}-{measured}-{p}-{k}");
                    await Get(relay, peer, $"disc/probe-{size}-{measured}-{p}-{k}");
                }
            // Each disconnect timed alone, the median reported: its unsubscribe calls run on after it, on the same 2 cores.
            GC.Collect();
            var times = new List<double>(probes);
            foreach (var peer in probing)
            {
                var clock = Stopwatch.StartNew();
                connections.Release(peer);
                times.Add(clock.Elapsed.TotalMicroseconds);
            }
            times.Sort();
            if (measured) results.Add((size, times[times.Count / 2], times[times.Count * 9 / 10]));
        }

        Console.WriteLine($"A peer's disconnect ({probes:N0} peers, each watching {PerProbe} cells and {PerProbe} souls), the gateway's own classes, one silo:");
        Console.WriteLine();
        Console.WriteLine("| cells and souls the gateway watches (each) | µs per disconnect, median | ÷ smaller | p90 µs |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Watched:N0} | {r.Median:F1} | {r.Median / results[0].Median:F2} | {r.P90:F1} |"));
    }

    // Frames the relay sends are queued and never read: the benchmark times the relay, not a socket.
    private static GunPeer Peer() => new(new ClientWebSocket(), maxQueued: 1_000_000);

    private static async Task Get(GunRelay relay, GunPeer peer, string soul)
    {
        var id = Guid.NewGuid().ToString("N");
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object> { ["#"] = id, ["get"] = new Dictionary<string, string> { ["#"] = soul } }));
        await relay.Handle(peer, new GunMessage(document.RootElement.Clone()), id);
    }
}
