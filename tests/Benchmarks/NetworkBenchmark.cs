using System.Globalization;
using OrleansSync.Silo.Hosting;
using OrleansSync.TestSupport;
using static OrleansSync.Benchmarks.PropagationLatency;

namespace OrleansSync.Benchmarks;

/// <summary>The propagation benchmarks of docs/BENCHMARKS.md: a chain and a fan-out, in process and on grains.</summary>
public static class NetworkBenchmark
{
    public static async Task Run(int size, int rounds)
    {
        Console.WriteLine($"Propagation from telling c0 to quiescence, {size} propagators, {rounds} rounds each (a narrower interval per round).");
        var results = new List<Result>();
        foreach (var shape in new[] { Shape.Chain, Shape.FanOut })
        {
            results.Add(InProcess(shape, size, rounds: 200));
            var memory = new SiloSettings { Storage = StorageKind.Memory };
            results.Add(await OnGrains("1 silo, in-memory storage", memory, 1, shape, size, rounds));
            results.Add(await OnGrains("2 silos, in-memory storage", memory, 2, shape, size, rounds));
            using var directory = new TempDirectory("orleanssync-bench-");
            var sqlite = new SiloSettings { Storage = StorageKind.Sqlite, DataDirectory = directory.Path };
            results.Add(await OnGrains("1 silo, SQLite (durable)", sqlite, 1, shape, size, rounds));
            results.Add(await OnGrains("2 silos, SQLite (durable)", sqlite with { DataDirectory = directory.Path + "-2" }, 2, shape, size, rounds));
        }

        Console.WriteLine();
        Console.WriteLine("| network | run | ms per round | µs per hop / propagator | ÷ in-process | after the tell's own write: µs, ÷ in-process | ms per round until stored |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var ceiling = results.First(c => c.Shape == r.Shape);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(r.Shape == Shape.Chain ? $"chain of {r.Size}" : $"fan-out to {r.Size}")} | {r.Name} | {r.MillisecondsPerRound:F1} | {r.MicrosecondsPerStep:F1} | {r.MicrosecondsPerStep / ceiling.MicrosecondsPerStep:F0}× | {(r.Telling is null ? "–" : $"{r.MicrosecondsPerStepAfterTell:F1}, {r.MicrosecondsPerStepAfterTell / ceiling.MicrosecondsPerStep:F0}×")} | {(r.UntilStored is null ? "–" : r.StoredMillisecondsPerRound.ToString("F1", CultureInfo.InvariantCulture))} |"));
        }
    }
}
