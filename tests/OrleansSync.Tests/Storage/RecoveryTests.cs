using Microsoft.Data.Sqlite;
using OrleansSync.Grains.Cells;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Storage;

/// <summary>
/// Derived cell contents are written behind, so a crash loses the ones not yet stored; what clients told is durable,
/// and the restarted machine's propagators recompute the rest. The silo process is killed (SIGKILL) while a change
/// propagates, and re-quiescing must give exactly what a run without the crash gives (the in-process scheduler).
/// </summary>
public sealed class RecoveryTests
{
    private const int Chain = 3000;
    private const int FanOut = 300;
    private const string Machine = "R";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static string Cell(string name) => $"r.{name}";

    private static IReadOnlyList<PropagatorSpec> Network() =>
    [
        new(PropagatorIds.New(Machine, "one"), BuiltInPropagators.Constant, [], [Cell("one")], [new NumberValue(1)], "recovery"),
        .. Enumerable.Range(0, Chain).Select(i => new PropagatorSpec(PropagatorIds.New(Machine, $"chain-{i}"), BuiltInPropagators.Add,
            [Cell($"c{i}"), Cell("one")], [Cell($"c{i + 1}")], [], "recovery")),
        .. Enumerable.Range(0, FanOut).Select(i => new PropagatorSpec(PropagatorIds.New(Machine, $"fan-{i}"), BuiltInPropagators.Multiply,
            [Cell($"c{Chain}"), Cell("one")], [Cell($"f{i}")], [], "recovery")),
    ];

    private static IEnumerable<string> Cells() =>
        Enumerable.Range(0, Chain + 1).Select(i => Cell($"c{i}")).Concat(Enumerable.Range(0, FanOut).Select(i => Cell($"f{i}")));

    [Fact]
    public async Task A_silo_killed_mid_propagation_recomputes_what_it_lost()
    {
        using var data = new TempDirectory();
        var configuration = new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = data.Path, ["OrleansSync:MachineId"] = Machine };
        var first = new Interval(0, 100);
        var second = new Interval(0, 50);

        // What a run without a crash gives.
        var reference = new LocalNetwork(MergeRegistry.Default);
        foreach (var spec in Network()) reference.Attach(spec);
        reference.Tell(Cell("c0"), first);
        reference.Tell(Cell("c0"), second);
        reference.Run();

        await using (var silo = await SiloProcess.StartAsync(configuration))
        await using (var client = await OrleansClient.ConnectLocalhostAsync(silo.GatewayPort))
        {
            var network = new PropagatorNetwork(client.Client, "recovery");
            var specs = Network();
            for (var i = 0; i < specs.Count; i += 32) await Task.WhenAll(specs.Skip(i).Take(32).Select(network.Create));
            await network.Tell(Cell("c0"), first);
            await network.WaitForQuiescence(Timeout, durable: true);
            Assert.Equal(new Interval(Chain, Chain + 100), Stored(data.Path, Cell($"c{Chain}")));

            // Acknowledged once stored; what it sets off is in memory only when the silo dies.
            await network.Tell(Cell("c0"), second);
            await silo.KillAsync();
        }

        Assert.Equal(second, Stored(data.Path, Cell("c0")));
        // The crash did lose derived contents: the end of the chain still holds the first round.
        Assert.Equal(new Interval(Chain, Chain + 100), Stored(data.Path, Cell($"c{Chain}")));

        var restartedAt = DateTimeOffset.UtcNow;
        await using var restarted = await SiloProcess.StartAsync(configuration);
        await using var reader = await OrleansClient.ConnectLocalhostAsync(restarted.GatewayPort);
        var again = new PropagatorNetwork(reader.Client, "recovery");
        // The machine's first heartbeat comes after its catch-up has been counted: from then on quiescence includes it.
        await Conditions.WaitUntilAsync(async () => (await again.Registry.GetMachine(Machine))?.LastSeen > restartedAt, Timeout, "machine R to heartbeat after restarting");
        await again.WaitForQuiescence(Timeout, durable: true);

        foreach (var cell in Cells()) Assert.Equal(reference.Strongest(cell), await again.Strongest(cell));
        Assert.Equal(reference.Strongest(Cell($"f{FanOut - 1}")), Stored(data.Path, Cell($"f{FanOut - 1}")));
    }

    /// <summary>A cell's content as its row in the SQLite file holds it (nothing if it has no row).</summary>
    private static PartialInfo Stored(string dataDirectory, string cellId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "orleanssync.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'cell' AND GrainIdExtensionString = @key";
        command.Parameters.AddWithValue("@key", StorageKeys.ToStored(cellId));
        if (command.ExecuteScalar() is not byte[] payload) return Nothing.Instance;
        return new JsonStateSerializer().Deserialize<CellState>(new BinaryData(payload)).Content;
    }
}
