using System.Globalization;
using OrleansSync.TestSupport;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Memory after hostile traffic (issue #13, item 5): silo and gateway as processes (SQLite, as run.sh), warmed up by a
/// bench.js run and left to go idle (the baseline); then a barrage of hostile frames from many connections
/// (gun/hostile.js); then idle again. The aim: each process back within 20% of its baseline.
/// </summary>
public static class HostileBenchmark
{
    public static async Task Run(int connections, int framesEach, TimeSpan idle)
    {
        var root = GunScripts.RepositoryRoot();
        var scripts = GunScripts.Directory(root);
        var env = GunScripts.Environment(root);
        var environment = new Dictionary<string, string> { ["MALLOC_ARENA_MAX"] = "2" };
        using var data = new TempDirectory("orleanssync-hostile-");
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["OrleansSync:DataDirectory"] = data.Path,
            ["OrleansSync:MachineId"] = "hostile",
            ["OrleansSync:CollectionAge"] = idle.ToString("c", CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:OrleansSync"] = "Information",
        }, environment: environment);
        await using var gateway = await GatewayProcess.StartAsync(silo.GatewayPort, new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" }, environment);
        (double Silo, double Gateway) Memory() => (ResidentMemory.Megabytes(silo.ProcessId), ResidentMemory.Megabytes(gateway.ProcessId));

        var started = Memory();
        var bench = await Processes.RunAsync("node", [Path.Combine(scripts, "bench.js"), "2000"], TimeSpan.FromMinutes(3),
            new Dictionary<string, string>(env) { ["RELAY_URL"] = gateway.Url });
        Console.WriteLine(bench.Trim());
        await IdleWait.UntilGunNodesAreCollected(silo, idle);
        var baseline = Memory();

        var output = await Processes.RunAsync("node", [Path.Combine(scripts, "hostile.js"), connections.ToString(CultureInfo.InvariantCulture), framesEach.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(5), new Dictionary<string, string>(env) { ["RELAY_URL"] = gateway.Url });
        Console.WriteLine(output.Trim());
        var peak = Memory();
        var (active, heap, waited) = await IdleWait.UntilGunNodesAreCollected(silo, idle);
        var after = Memory();

        Console.WriteLine();
        Console.WriteLine($"| process | started MB | baseline (warm, idle) MB | right after the barrage MB | idle again MB ({waited.TotalSeconds:F0} s; {active} Gun nodes active; silo heap {heap:F0} MB) | ÷ baseline |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| silo | {started.Silo:F0} | {baseline.Silo:F0} | {peak.Silo:F0} | {after.Silo:F0} | {after.Silo / baseline.Silo:F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| gateway | {started.Gateway:F0} | {baseline.Gateway:F0} | {peak.Gateway:F0} | {after.Gateway:F0} | {after.Gateway / baseline.Gateway:F2} |"));
    }
}
