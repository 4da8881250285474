using Orleans.Runtime;
using OrleansSync.Cells;
using OrleansSync.Compaction;
using OrleansSync.Gun;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Storage;

/// <summary>
/// An acknowledged merge survives the silo being killed (SIGKILL of the real silo process, no graceful
/// stop): a new silo on the same storage serves the same content. SQLite (the embedded default) and PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DurabilityTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Sqlite_merges_survive_a_killed_silo()
    {
        using var data = new TempDirectory();
        var configuration = new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = data.Path };

        await using (var silo = await SiloProcess.StartAsync(configuration))
        await using (var client = await OrleansClient.ConnectLocalhostAsync(silo.GatewayPort))
        {
            await MergeSome(client.Client);
            await silo.KillAsync();
        }

        Assert.True(File.Exists(Path.Combine(data.Path, "orleanssync.db")), "the SQLite file lives in the data directory");
        await using var restarted = await SiloProcess.StartAsync(configuration);
        await using var reader = await OrleansClient.ConnectLocalhostAsync(restarted.GatewayPort);
        await AssertStillThere(reader.Client);
    }

    [Fact]
    public async Task Postgres_merges_survive_a_killed_silo()
    {
        var database = await postgres.Server.CreateDatabaseAsync("durable");
        var configuration = new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = database };

        await using (var silo = await SiloProcess.StartAsync(configuration))
        await using (var client = await OrleansClient.ConnectPostgresAsync(database))
        {
            await MergeSome(client.Client);
            await silo.KillAsync();
            // A restart on the same endpoint replaces the dead silo in the membership table at once
            // (new generation); on new ports the cluster would first wait for the failure detector.
            configuration["OrleansSync:SiloPort"] = silo.SiloPort.ToString();
            configuration["OrleansSync:GatewayPort"] = silo.GatewayPort.ToString();
        }

        await using var restarted = await SiloProcess.StartAsync(configuration);
        await using var reader = await OrleansClient.ConnectPostgresAsync(database);
        await AssertStillThere(reader.Client);
    }

    [Fact]
    public async Task Postgres_silo_processes_form_one_cluster()
    {
        var database = await postgres.Server.CreateDatabaseAsync("cluster");
        var configuration = new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = database };
        await using var first = await SiloProcess.StartAsync(new Dictionary<string, string>(configuration) { ["OrleansSync:MachineId"] = "p1" });
        await using var second = await SiloProcess.StartAsync(new Dictionary<string, string>(configuration) { ["OrleansSync:MachineId"] = "p2" });
        await using var client = await OrleansClient.ConnectPostgresAsync(database);

        var hosts = await client.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.Client.GetGrain<ICellGrain>($"spread-{i}").Merge(new MaxValue(i))));
        Assert.All(results, r => Assert.True(r.Changed));
        var statistics = await client.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        // Cell grains only: each new cell also tells its listing shard (CellDirectoryGrain), a grain type of its own.
        Assert.Equal(100, statistics.Where(s => s.GrainType.Contains("Cell", StringComparison.OrdinalIgnoreCase) && !s.GrainType.Contains("Directory", StringComparison.OrdinalIgnoreCase)).Sum(s => s.ActivationCount));

        // A propagator for machine p2 runs in the second process, and its result is stored in PostgreSQL.
        var network = new PropagatorNetwork(client.Client);
        var add = await network.Primitive("p2", BuiltInPropagators.Add, "pg-x", "pg-y", "pg-sum");
        await network.Tell("pg-x", new NumberValue(1));
        await network.Tell("pg-y", new NumberValue(2));
        await network.WaitForQuiescence(TimeSpan.FromSeconds(60));
        Assert.Equal(new NumberValue(3), await network.Strongest("pg-sum"));
        var host = await client.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(client.Client.GetGrain<IPropagatorGrain>(add.Id));
        Assert.Equal(second.SiloPort, host!.Endpoint.Port);
        Assert.Equal(["p1", "p2"], (await network.Registry.GetMachines()).Select(m => m.Id));

        // A Gun gateway process joins the same cluster through PostgreSQL, as README documents.
        await using var gateway = await GatewayProcess.StartAsync(0, new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = database });
        await OrleansSync.Tests.Gun.GunPeers.Run("write.js", gateway.Url, "pg/gun", "k", "42");
        Assert.Contains("value 42", await OrleansSync.Tests.Gun.GunPeers.Run("read.js", gateway.Url, "pg/gun", "k"));
        Assert.Equal("42", (await client.Client.GetGrain<OrleansSync.Gun.IGunNodeGrain>("pg/gun").Get())!.Fields["k"].Value);
    }

    [Fact]
    public async Task Postgres_rows_are_deleted_archived_and_restored()
    {
        var database = await postgres.Server.CreateDatabaseAsync("compaction");
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:Postgres"] = database });
        await using var client = await OrleansClient.ConnectPostgresAsync(database);
        var network = new PropagatorNetwork(client.Client);
        await network.Cell("pg-named").Describe("kept", CellKind.Value);
        await network.Tell("pg-garbage", new NumberValue(7));
        await network.Tell("pg-deleted", new NumberValue(8));

        await network.Cell("pg-deleted").Delete();
        Assert.DoesNotContain("pg-deleted", await Keys(database, "cell"));

        var compaction = client.Client.GetGrain<ICompactionGrain>(ICompactionGrain.Key);
        async Task<CompactionSummary> Compact(CompactionRequest request)
        {
            await compaction.Start(request);
            await Conditions.WaitUntilAsync(async () => !(await compaction.GetStatus()).Running, TimeSpan.FromSeconds(60), "compaction");
            var status = await compaction.GetStatus();
            Assert.Null(status.Error);
            return status.Summary!;
        }

        await Compact(CompactionRequest.Default);
        Assert.Equal(["pg-garbage"], await Keys(database, "cell-archive"));
        Assert.Equal(["pg-named"], await Keys(database, "cell"));

        Assert.Equal(new NumberValue(7), await network.Strongest("pg-garbage"));
        Assert.Empty(await Keys(database, "cell-archive"));

        await Compact(CompactionRequest.Default);
        var summary = await Compact(CompactionRequest.Default with { ArchiveRetention = TimeSpan.Zero });
        Assert.Equal(1, summary.ArchiveDeleted);
        Assert.Empty(await Keys(database, "cell-archive"));
        Assert.Equal(Nothing.Instance, await network.Strongest("pg-garbage"));
    }

    private static async Task<List<string>> Keys(string database, string stateName)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT grainidextensionstring FROM orleansstorage WHERE graintypestring = @t AND payloadbinary IS NOT NULL ORDER BY 1";
        command.Parameters.AddWithValue("t", stateName);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }

    private static async Task MergeSome(IClusterClient client)
    {
        var cell = client.GetGrain<ICellGrain>("durable");
        await cell.Describe("durable-height", CellKind.Value);
        await cell.Merge(new Interval(0, 10));
        var acknowledged = await cell.Merge(new Interval(2, 5));
        Assert.Equal(2, acknowledged.Version);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.GetGrain<ICellGrain>($"durable-{i}").Merge(Supported.By(new NumberValue(i), $"p{i}"))));
        await client.GetGrain<IGunNodeGrain>("durable/gun").Put(GunWrite("before", "\"kept\"", GunState));
    }

    // Gun states a minute old: the puts are not from the future, and the later one below is older still.
    private static readonly double GunState = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;

    private static GunNodeDelta GunWrite(string key, string value, double state) =>
        new("durable/gun", new Dictionary<string, GunField> { [key] = new(value, state) });

    private static async Task AssertStillThere(IClusterClient client)
    {
        var snapshot = await client.GetGrain<ICellGrain>("durable").GetSnapshot();
        Assert.Equal(new Interval(2, 5), snapshot.Content);
        Assert.Equal(2, snapshot.Metadata.Version);
        Assert.Equal("durable-height", snapshot.Metadata.Name);
        for (var i = 0; i < 50; i++)
            Assert.Equal(Supported.By(new NumberValue(i), $"p{i}"), await client.GetGrain<ICellGrain>($"durable-{i}").GetContent());

        // The node is not read on activation: its first put here is refused by the ETag (a row is there), and it then
        // goes through HAM against what is stored: an older state loses, a new key joins.
        var node = client.GetGrain<IGunNodeGrain>("durable/gun");
        Assert.Equal(["before"], (await node.Put(GunWrite("before", "\"stale\"", GunState - 1_000))).Ignored);
        Assert.Equal(["after"], (await node.Put(GunWrite("after", "\"added\"", GunState))).Accepted);
        var fields = (await node.Get())!.Fields;
        Assert.Equal("\"kept\"", fields["before"].Value);
        Assert.Equal("\"added\"", fields["after"].Value);
    }
}
