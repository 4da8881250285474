using System.Diagnostics;
using System.Globalization;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.TestSupport;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Bounded growth: storage bytes after the first write to each of <c>cells</c> cells, after <c>merges</c> merges
/// into them, and after deleting them — beside gun's own file store (RAD on disk, through gun's relay) for the
/// same writes; then churn (many nodes created and deleted with null) through gun's relay and through our
/// gateway, before and after compaction forgets the tombstones.
/// </summary>
public static class GrowthBenchmark
{
    private sealed record Row(string Store, string Step, long Writes, long Rows, long Bytes, string Note);

    public static async Task Run(int merges, int cells, int churn)
    {
        var rows = new List<Row>();
        await Cells(rows, merges, cells);
        var root = GunScripts.RepositoryRoot();
        var env = GunScripts.Environment(root);
        await GunRelay(rows, env, root, merges, cells, churn);
        await Gateway(rows, env, root, cells, churn);

        Console.WriteLine();
        Console.WriteLine("| store | after | writes so far | rows | bytes | note |");
        Console.WriteLine("|---|---|---:|---:|---:|---|");
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Store} | {r.Step} | {r.Writes:N0} | {r.Rows:N0} | {r.Bytes:N0} | {r.Note} |"));
    }

    private static async Task Cells(List<Row> rows, int merges, int cells)
    {
        const string store = "OrleansSync cells, SQLite";
        using var data = new TempDirectory("orleanssync-growth-");
        await using var silo = await SiloProcess.StartAsync(Settings(data.Path));
        await using var client = await OrleansClient.ConnectLocalhostAsync(silo.GatewayPort);
        ICellGrain Cell(long i) => client.Client.GetGrain<ICellGrain>($"growth/{i % cells}");

        await Parallel(cells, i => Cell(i).Merge(new MaxValue(i)));
        var first = await SqliteStore.MeasureAsync(data.Path);
        rows.Add(new Row(store, "first write to each cell", cells, first.Rows("cell"), first.PayloadBytes("cell"), $"file {first.FileBytes:N0} B"));

        var watch = Stopwatch.StartNew();
        // Every merge raises the cell's maximum, so every one is a change that is stored.
        await Parallel(merges - cells, i => Cell(i).Merge(new MaxValue(cells + i)));
        var after = await SqliteStore.MeasureAsync(data.Path);
        rows.Add(new Row(store, "all merges", merges, after.Rows("cell"), after.PayloadBytes("cell"),
            string.Create(CultureInfo.InvariantCulture, $"file {after.FileBytes:N0} B; {(merges - cells) / watch.Elapsed.TotalSeconds:N0} merges/s")));

        await Parallel(cells, i => Cell(i).Delete());
        var deleted = await SqliteStore.MeasureAsync(data.Path);
        rows.Add(new Row(store, "deleting every cell", merges + cells, deleted.Rows("cell"), deleted.PayloadBytes("cell"),
            $"file {deleted.FileBytes:N0} B, {deleted.LiveBytes:N0} B of it in use (SQLite reuses free pages)"));
    }

    private static async Task GunRelay(List<Row> rows, Dictionary<string, string> env, string root, int merges, int cells, int churn)
    {
        const string store = "gun relay, RAD on disk";
        using var data = new TempDirectory("orleanssync-gunstore-");
        var radata = Path.Combine(data.Path, "radata");
        var port = FreePort.Next();
        await using var relay = await GunRelayProcess.StartAsync(root, port.ToString(CultureInfo.InvariantCulture), "--radisk", radata);
        var url = $"ws://127.0.0.1:{port}/gun";
        async Task Step(string phase, int count, string step, long writes)
        {
            Console.WriteLine(await GunScripts.Growth(env, root, url, phase, count, cells));
            rows.Add(new Row(store, step, writes, Files(radata), DirectoryBytes(radata), "RAD files (rows column: files)"));
        }
        await Step("first", merges, "first write to each node", cells);
        await Step("writes", merges, "all writes", merges);
        await Step("deletes", merges, "v := null on every node", merges + cells);
        await Step("churn", churn, $"{churn:N0} new nodes", merges + cells + churn);
        await Step("unchurn", churn, "v := null on them (gun keeps tombstones)", merges + cells + 2L * churn);
    }

    private static async Task Gateway(List<Row> rows, Dictionary<string, string> env, string root, int cells, int churn)
    {
        const string store = "OrleansSync gateway, SQLite";
        using var data = new TempDirectory("orleanssync-gwstore-");
        await using var silo = await SiloProcess.StartAsync(Settings(data.Path));
        await using var gateway = await GatewayProcess.StartAsync(silo.GatewayPort, new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" });
        var url = gateway.Url.Replace("http://", "ws://", StringComparison.Ordinal);
        async Task Step(string phase, int count, string step, long writes)
        {
            Console.WriteLine(await GunScripts.Growth(env, root, url, phase, count, cells));
            var s = await SqliteStore.MeasureAsync(data.Path);
            rows.Add(new Row(store, step, writes, s.Rows("gun"), s.PayloadBytes("gun"), $"file {s.FileBytes:N0} B"));
        }
        await Step("first", cells, "first write to each node", cells);
        await Step("deletes", cells, "v := null on every node", 2L * cells);
        await Step("churn", churn, $"{churn:N0} new nodes", 2L * cells + churn);
        await Step("unchurn", churn, "v := null on them", 2L * cells + 2L * churn);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var response = await http.PostAsync($"http://127.0.0.1:{gateway.Port}/admin/compact?tombstoneRetention=00:00:00", null);
        var progress = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"compaction: {(int)response.StatusCode} {progress}\n{gateway.Output}");
        Console.WriteLine(progress.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        var compacted = await SqliteStore.MeasureAsync(data.Path);
        rows.Add(new Row(store, "compaction (tombstone retention 0)", 2L * cells + 2L * churn, compacted.Rows("gun"), compacted.PayloadBytes("gun"),
            $"file {compacted.FileBytes:N0} B, {compacted.LiveBytes:N0} B of it in use"));
    }

    private static Dictionary<string, string> Settings(string dataDirectory) => new()
    {
        ["OrleansSync:Storage"] = "Sqlite",
        ["OrleansSync:DataDirectory"] = dataDirectory,
        ["OrleansSync:MachineId"] = "bench",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static async Task Parallel(long count, Func<long, Task> action)
    {
        var next = -1L;
        await Task.WhenAll(Enumerable.Range(0, 256).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next)) await action(i);
        }));
    }

    private static long DirectoryBytes(string path) =>
        System.IO.Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    private static long Files(string path) =>
        System.IO.Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Count() : 0;
}
