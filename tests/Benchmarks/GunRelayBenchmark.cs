using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OrleansSync.TestSupport;

namespace OrleansSync.Benchmarks;

/// <summary>
/// gun's own relay and the OrleansSync gateway, one after the other, on the shared workloads run unchanged:
/// bench.js (client A's puts received by subscribed client B) and raw-ingest.js (acked puts on one socket),
/// plus process memory before, after, and after idling, and the relay processes' CPU time per put. Each relay first
/// gets the same warm-up (a bench.js run of <c>warmup</c> puts, on souls of its own): the main figures are for running
/// relays, not for the first seconds of a process that still compiles its code; the warm-up's own rate is reported
/// beside them as the cold figure.
/// </summary>
public static partial class GunRelayBenchmark
{
    public sealed record Run(string Relay, double BenchPutsPerSecond, int P50, int P95, double IngestPutsPerSecond, int IngestAcked,
        double MemoryBeforeMb, double MemoryAfterMb, double MemoryIdleMb, string MemoryNote, double BenchCpuMsPerPut, double IngestCpuMsPerPut,
        double? ColdBenchPutsPerSecond);

    public static async Task RunAll(int puts, int ingest, TimeSpan idle, int warmup)
    {
        var root = GunScripts.RepositoryRoot();
        var scripts = GunScripts.Directory(root);
        var env = GunScripts.Environment(root);
        var runs = new List<Run> { await Gun(scripts, env, puts, ingest, idle, warmup) };
        // GUNBENCH_ONLY: a comma-separated list of the keys below (e.g. "Sqlite,InSilo-Sqlite").
        var only = Environment.GetEnvironmentVariable("GUNBENCH_ONLY")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var (key, name, storage, inSilo) in new[]
                 {
                     ("Sqlite", "OrleansSync gateway process + silo, SQLite (durable)", "Sqlite", false),
                     ("Memory", "OrleansSync gateway process + silo, in-memory storage", "Memory", false),
                     ("InSilo-Sqlite", "OrleansSync relay in the silo (run.sh), SQLite (durable)", "Sqlite", true),
                     ("InSilo-Memory", "OrleansSync relay in the silo, in-memory storage", "Memory", true),
                 }.Where(t => only is null || only.Contains(t.Item1)))
            runs.Add(await Ours(name, storage, inSilo, scripts, env, puts, ingest, idle, warmup));

        var gun = runs[0];
        Console.WriteLine();
        Console.WriteLine($"| relay | bench.js {puts:N0}: puts/s received by B | p50 / p95 ms | ÷ gun | raw-ingest {ingest:N0}: acked puts/s | ÷ gun | memory MB before → after → idle |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var r in runs)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Relay} | {r.BenchPutsPerSecond:N0} | {r.P50} / {r.P95} | {r.BenchPutsPerSecond / gun.BenchPutsPerSecond:F2} | {r.IngestPutsPerSecond:N0} ({r.IngestAcked:N0} acked) | {r.IngestPutsPerSecond / gun.IngestPutsPerSecond:F2} | {r.MemoryBeforeMb:F0} → {r.MemoryAfterMb:F0} → {r.MemoryIdleMb:F0} {r.MemoryNote} |"));
        Console.WriteLine();
        Console.WriteLine($"| relay | bench.js: relay CPU µs per put | ÷ gun | raw-ingest: relay CPU µs per put | ÷ gun | warm-up (first) bench.js run of {warmup:N0}: puts/s | ÷ gun |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Relay} | {r.BenchCpuMsPerPut * 1000:F0} | {r.BenchCpuMsPerPut / gun.BenchCpuMsPerPut:F2} | {r.IngestCpuMsPerPut * 1000:F0} | {r.IngestCpuMsPerPut / gun.IngestCpuMsPerPut:F2} | {r.ColdBenchPutsPerSecond:N0} | {r.ColdBenchPutsPerSecond / gun.ColdBenchPutsPerSecond:F2} |"));
    }

    private static async Task<Run> Gun(string scripts, Dictionary<string, string> env, int puts, int ingest, TimeSpan idle, int warmup)
    {
        var port = FreePort.Next();
        await using var relay = await GunRelayProcess.StartAsync(GunScripts.RepositoryRoot(), port.ToString(CultureInfo.InvariantCulture));
        var before = ResidentMemory.Megabytes(relay.ProcessId);
        var measured = await Workloads(scripts, env, $"http://127.0.0.1:{port}/gun", relay.ProcessId, [relay.ProcessId], puts, ingest, warmup);
        var after = ResidentMemory.Megabytes(relay.ProcessId);
        await Task.Delay(idle);
        return measured.ToRun("gun relay (RAD on an in-memory store)", before, after, ResidentMemory.Megabytes(relay.ProcessId), $"(after {idle.TotalSeconds:F0} s idle)");
    }

    /// <summary>
    /// The silo as run.sh runs it (defaults, the dashboard on) and the relay either as its own gateway process or hosted
    /// in the silo (<c>OrleansSync:Gateway:InSilo</c>); CPU and memory are those of every process of ours.
    /// </summary>
    private static async Task<Run> Ours(string name, string storage, bool inSilo, string scripts, Dictionary<string, string> env, int puts, int ingest, TimeSpan idle, int warmup)
    {
        using var data = new TempDirectory("orleanssync-gunbench-");
        var relayPort = FreePort.Next();
        var siloSettings = new Dictionary<string, string>
        {
            ["OrleansSync:Storage"] = storage,
            ["OrleansSync:DataDirectory"] = data.Path,
            ["OrleansSync:MachineId"] = "bench",
            ["OrleansSync:CollectionAge"] = idle.ToString("c", CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (inSilo)
        {
            siloSettings["OrleansSync:Gateway:InSilo"] = "true";
            siloSettings["OrleansSync:Gateway:Port"] = relayPort.ToString(CultureInfo.InvariantCulture);
        }
        await using var silo = await SiloProcess.StartAsync(siloSettings, environment: RunScriptEnvironment);
        // The shipped subscription lease: renewals cost a grain call per subscribed soul every lease / 3, so a short
        // lease would measure renewal traffic rather than the workload.
        await using var gateway = inSilo ? null : await GatewayProcess.StartAsync(silo.GatewayPort, new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:OrleansSync"] = "Information",
        }, RunScriptEnvironment);
        int[] ours = gateway is null ? [silo.ProcessId] : [silo.ProcessId, gateway.ProcessId];
        var url = gateway?.Url ?? $"http://127.0.0.1:{relayPort}/gun";
        double Memory() => ours.Sum(ResidentMemory.Megabytes);
        string Split() => gateway is null
            ? string.Create(CultureInfo.InvariantCulture, $"silo with relay {ResidentMemory.Megabytes(silo.ProcessId):F0}")
            : string.Create(CultureInfo.InvariantCulture, $"silo {ResidentMemory.Megabytes(silo.ProcessId):F0} + gateway {ResidentMemory.Megabytes(gateway.ProcessId):F0}");
        var before = Memory();
        var beforeSplit = Split();
        var measured = await Workloads(scripts, env, url, ours[^1], ours, puts, ingest, warmup);
        var after = Memory();
        var afterSplit = Split();

        var (active, heap, waited) = await IdleWait.UntilGunNodesAreCollected(silo, idle);
        var idleMemory = Memory();
        return measured.ToRun(name, before, after, idleMemory,
            string.Create(CultureInfo.InvariantCulture, $"({beforeSplit} → {afterSplit} → {Split()}; silo managed heap {heap:F0} MB; {active} Gun node activations left after {waited.TotalSeconds:F0} s idle)"));
    }

    /// <summary>What scripts/run.sh sets for both processes.</summary>
    private static readonly Dictionary<string, string> RunScriptEnvironment = new() { ["MALLOC_ARENA_MAX"] = "2" };

    private sealed record BenchResult(double Rate, int P50, int P95);

    private sealed record Measured(BenchResult? Cold, BenchResult Bench, double BenchCpuMsPerPut, double IngestRate, int IngestAcked, double IngestCpuMsPerPut)
    {
        public Run ToRun(string relay, double before, double after, double idle, string memoryNote) =>
            new(relay, Bench.Rate, Bench.P50, Bench.P95, IngestRate, IngestAcked, before, after, idle, memoryNote, BenchCpuMsPerPut, IngestCpuMsPerPut, Cold?.Rate);
    }

    /// <summary>The same steps for every relay: the warm-up, then bench.js and raw-ingest.js with the relay processes' CPU.</summary>
    private static async Task<Measured> Workloads(string scripts, Dictionary<string, string> env, string url, int relayPid, int[] cpuPids, int puts, int ingest, int warmup)
    {
        var cold = warmup > 0 ? await Bench(scripts, env, url, warmup) : null;
        var (bench, benchCpu) = await ProcessCpu.Measure(() => Bench(scripts, env, url, puts), puts, cpuPids);
        var ((rate, acked), ingestCpu) = await ProcessCpu.Measure(
            () => Ingest(scripts, env, url.Replace("http://", "ws://", StringComparison.Ordinal), relayPid, ingest), ingest, cpuPids);
        return new Measured(cold, bench, benchCpu, rate, acked, ingestCpu);
    }

    private static async Task<BenchResult> Bench(string scripts, Dictionary<string, string> env, string url, int puts)
    {
        var output = await Processes.RunAsync("node", [Path.Combine(scripts, "bench.js"), puts.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(3),
            new Dictionary<string, string>(env) { ["RELAY_URL"] = url });
        Console.WriteLine(output.Trim());
        var m = BenchLine().Match(output);
        if (!m.Success) throw new InvalidOperationException("bench.js did not finish:\n" + output);
        return new BenchResult(double.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["p50"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["p95"].Value, CultureInfo.InvariantCulture));
    }

    private static async Task<(double Rate, int Acked)> Ingest(string scripts, Dictionary<string, string> env, string url, int pid, int puts)
    {
        var output = await Processes.RunAsync("node", [Path.Combine(scripts, "raw-ingest.js"), puts.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(3),
            new Dictionary<string, string>(env) { ["RELAY_URL"] = url, ["RELAY_PID"] = pid.ToString(CultureInfo.InvariantCulture) });
        Console.WriteLine(output.Trim());
        var m = IngestLine().Match(output);
        if (!m.Success) throw new InvalidOperationException("raw-ingest.js did not finish:\n" + output);
        return (double.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["acked"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"B: received \d+ updates in \d+ ms => (?<rate>\d+) puts/s; latency ms p50=(?<p50>\d+) p95=(?<p95>\d+)")]
    private static partial Regex BenchLine();

    [GeneratedRegex(@"(?<acked>\d+)/\d+ puts acked in \d+ ms => (?<rate>\d+) puts/s")]
    private static partial Regex IngestLine();
}
