using System.Globalization;
using OrleansSync.Benchmarks;
using OrleansSync.Silo.Hosting;
using OrleansSync.TestSupport;

// Usage: dotnet run -c Release --project tests/Benchmarks [-- merges=20000 cells=1000 callers=64]
//        dotnet run -c Release --project tests/Benchmarks -- network [size=1000 rounds=5]
//        dotnet run -c Release --project tests/Benchmarks -- scale [size=N: only that size; default 1000, 10000, 100000]
//        dotnet run -c Release --project tests/Benchmarks -- scope [small=1000 large=10000]
//        dotnet run -c Release --project tests/Benchmarks -- search [copies=200 unrelated=4000]
//        dotnet run -c Release --project tests/Benchmarks -- gun [puts=5000 ingest=20000 idle=60 warmup=10000]
//        dotnet run -c Release --project tests/Benchmarks -- sea [puts=20000 users=100]
//        dotnet run -c Release --project tests/Benchmarks -- gun-node [small=1000 large=10000 puts=1000]
//        dotnet run -c Release --project tests/Benchmarks -- disconnect [small=1000 large=30000 probes=1000]
//        dotnet run -c Release --project tests/Benchmarks -- hostile [connections=200 frames=30 idle=60]
//        dotnet run -c Release --project tests/Benchmarks -- lazy [cells=1000000 touch=1000 age=120]
//        dotnet run -c Release --project tests/Benchmarks -- growth [merges=1000000 cells=1000 churn=100000]
// Prints a Markdown table for docs/BENCHMARKS.md. PostgreSQL is a throwaway server from the installed
// binaries unless ORLEANSSYNC_POSTGRES names one.
var options = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
if (args.FirstOrDefault() == "gun")
{
    await GunRelayBenchmark.RunAll(options.GetValueOrDefault("puts", 5_000), options.GetValueOrDefault("ingest", 20_000), TimeSpan.FromSeconds(options.GetValueOrDefault("idle", 60)),
        options.GetValueOrDefault("warmup", 10_000));
    return;
}
if (args.FirstOrDefault() == "hostile")
{
    await HostileBenchmark.Run(options.GetValueOrDefault("connections", 200), options.GetValueOrDefault("frames", 30), TimeSpan.FromSeconds(options.GetValueOrDefault("idle", 60)));
    return;
}
if (args.FirstOrDefault() == "disconnect")
{
    await DisconnectBenchmark.Run(options.GetValueOrDefault("small", 1_000), options.GetValueOrDefault("large", 30_000), options.GetValueOrDefault("probes", 1_000));
    return;
}
if (args.FirstOrDefault() == "gun-node")
{
    await GunNodeBenchmark.Run(options.GetValueOrDefault("small", 1_000), options.GetValueOrDefault("large", 10_000), options.GetValueOrDefault("puts", 1_000));
    return;
}
if (args.FirstOrDefault() == "sea")
{
    await SeaBenchmark.Run(options.GetValueOrDefault("puts", 20_000), options.GetValueOrDefault("users", 100));
    return;
}
if (args.FirstOrDefault() == "lazy")
{
    await LazyLoadingBenchmark.Run(options.GetValueOrDefault("cells", 1_000_000), options.GetValueOrDefault("touch", 1_000), TimeSpan.FromSeconds(options.GetValueOrDefault("age", 120)));
    return;
}
if (args.FirstOrDefault() == "growth")
{
    await GrowthBenchmark.Run(options.GetValueOrDefault("merges", 1_000_000), options.GetValueOrDefault("cells", 1_000), options.GetValueOrDefault("churn", 100_000));
    return;
}
if (args.FirstOrDefault() == "scale")
{
    int[] sizes = options.TryGetValue("size", out var only) ? [only] : [1_000, 10_000, 100_000];
    await ScaleBenchmark.Run(sizes);
    return;
}
if (args.FirstOrDefault() == "scope")
{
    await ScopeBenchmark.Run(options.GetValueOrDefault("small", 1_000), options.GetValueOrDefault("large", 10_000));
    return;
}
if (args.FirstOrDefault() == "search")
{
    await SearchBenchmark.Run(options.GetValueOrDefault("copies", 200), options.GetValueOrDefault("unrelated", 4_000));
    return;
}
if (args.FirstOrDefault() == "network")
{
    await NetworkBenchmark.Run(options.GetValueOrDefault("size", 1_000), options.GetValueOrDefault("rounds", 5));
    return;
}
var merges = options.GetValueOrDefault("merges", 20_000);
var cells = options.GetValueOrDefault("cells", 1_000);
var callers = options.GetValueOrDefault("callers", 64);

Console.WriteLine($"Merges per second into {cells} cells, {callers} concurrent callers, {merges} merges each run, every merge a change.");
var results = new List<MergeThroughput.Result> { MergeThroughput.InProcess(cells, merges, rounds: 20) };

results.Add(await MergeThroughput.ThroughSilo("cell grains, in-memory storage", new SiloSettings { Storage = StorageKind.Memory }, cells, merges, callers));

using (var directory = new TempDirectory("orleanssync-bench-"))
{
    var sqlite = new SiloSettings { Storage = StorageKind.Sqlite, DataDirectory = directory.Path };
    results.Add(await MergeThroughput.ThroughSilo("cell grains, SQLite (durable)", sqlite, cells, merges, callers));
}

await using (var postgres = await PostgresServer.StartAsync())
{
    var database = await postgres.CreateDatabaseAsync("bench");
    var settings = new SiloSettings { Storage = StorageKind.Postgres, PostgresConnectionString = database };
    results.Add(await MergeThroughput.ThroughSilo("cell grains, PostgreSQL (durable)", settings, cells, merges, callers));
}

var memory = results[1].PerSecond;
Console.WriteLine();
Console.WriteLine("| run | merges | merges/s | p50 ms | p99 ms | in-memory ÷ this |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Name} | {r.Merges:N0} | {r.PerSecond:N0} | {(r.P50Ms > 0 ? r.P50Ms.ToString("F2", CultureInfo.InvariantCulture) : "–")} | {(r.P99Ms > 0 ? r.P99Ms.ToString("F2", CultureInfo.InvariantCulture) : "–")} | {memory / r.PerSecond:F2} |"));
