using System.Globalization;
using System.Text.Json;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Cli;

/// <summary>
/// The CLI (src/Cli) as an operator runs it: a separate process against a real silo process (SQLite), every command
/// checked by its output and exit code, and its effect checked through an ordinary client.
/// </summary>
public sealed class CliTests(CliTests.Silo silo) : IClassFixture<CliTests.Silo>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>One silo process (machine A, SQLite) for the tests of this class, and a client to check what the CLI did.</summary>
    public sealed class Silo : IAsyncLifetime
    {
        private readonly TempDirectory _data = new();

        public SiloProcess Process { get; private set; } = null!;

        public OrleansClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Process = await SiloProcess.StartAsync(new Dictionary<string, string>
            {
                ["OrleansSync:DataDirectory"] = _data.Path,
                ["OrleansSync:MachineId"] = "A",
            });
            Client = await OrleansClient.ConnectLocalhostAsync(Process.GatewayPort);
        }

        public async Task DisposeAsync()
        {
            await Client.DisposeAsync();
            await Process.DisposeAsync();
            _data.Dispose();
        }
    }

    private Task<CliResult> Run(params string[] args) => CliProcess.RunAsync([.. args, "--gateway-port", Port], Wait);

    private string Port => silo.Process.GatewayPort.ToString(CultureInfo.InvariantCulture);

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Output).RootElement;
    }

    [Fact]
    public async Task Cells_are_told_read_and_watched()
    {
        await using var watch = await CliProcess.StartAsync(["cells", "watch", "cli-h", "--count", "2", "--json", "--gateway-port", Port]);
        var first = JsonDocument.Parse(await watch.NextLineAsync(Wait)).RootElement;
        Assert.Equal(("value", "cli-h", 0), (first.GetProperty("event").GetString(), first.GetProperty("id").GetString(), first.GetProperty("version").GetInt64()));

        var told = await Run("cells", "tell", "cli-h", "[44.5, 48.9]");
        Assert.True(told.ExitCode == 0, told.ToString());
        Assert.Contains("cli-h: stored [44.5, 48.9]; version 1", told.Output);
        Assert.Contains("strongest [44.5, 47.2]", (await Run("cells", "tell", "cli-h", "[41.1, 47.2]")).Output);
        Assert.Contains("already known, unchanged", (await Run("cells", "tell", "cli-h", "[41.1, 47.2]")).Output);

        var changes = new[] { JsonDocument.Parse(await watch.NextLineAsync(Wait)).RootElement, JsonDocument.Parse(await watch.NextLineAsync(Wait)).RootElement };
        Assert.Equal([1L, 2L], changes.Select(c => c.GetProperty("version").GetInt64()));
        Assert.Equal("[44.5, 47.2]", changes[1].GetProperty("strongest").GetString());
        Assert.Equal(0, await watch.WaitForExitAsync(Wait));   // --count 2: ends by itself

        var cell = Json(await Run("cells", "get", "cli-h", "--json", "--content"));
        Assert.Equal(2, cell.GetProperty("version").GetInt64());
        Assert.Equal("[44.5, 47.2]", cell.GetProperty("strongest").GetString());
        Assert.Equal("interval", cell.GetProperty("strongestEncoded").GetProperty("t").GetString());
        Assert.Equal(new Interval(44.5, 47.2), await new PropagatorNetwork(silo.Client.Client).Strongest("cli-h"));

        var text = await Run("cells", "get", "cli-h");
        Assert.Contains("strongest", text.Output);
        Assert.Contains("[44.5, 47.2]", text.Output);

        // Every syntax the tell form takes, and the stored encoding read back as it was written.
        Assert.Equal(0, (await Run("cells", "tell", "cli-n", "3.5")).ExitCode);
        Assert.Equal(new NumberValue(3.5), await new PropagatorNetwork(silo.Client.Client).Strongest("cli-n"));
        Assert.Equal(0, (await Run("cells", "tell", "cli-s", "hello world")).ExitCode);
        Assert.Equal(new TextValue("hello world"), await new PropagatorNetwork(silo.Client.Client).Strongest("cli-s"));
        Assert.Equal(0, (await Run("cells", "tell", "cli-e", """{"t":"max","v":7}""")).ExitCode);
        Assert.Equal(new MaxValue(7), await new PropagatorNetwork(silo.Client.Client).Strongest("cli-e"));
        Assert.Contains("cli-h", Json(await Run("cells", "list", "--json")).GetProperty("cells").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Machines_propagators_premises_and_quiescence()
    {
        var network = new PropagatorNetwork(silo.Client.Client, "cli");
        var add = await network.Primitive("A", BuiltInPropagators.Add, "cli-x", "cli-y", "cli-z");

        var machines = Json(await Run("machines", "list", "--json")).GetProperty("machines").EnumerateArray().ToList();
        var a = Assert.Single(machines, m => m.GetProperty("id").GetString() == "A");
        Assert.True(a.GetProperty("active").GetBoolean());
        Assert.Equal(1, a.GetProperty("propagators").GetInt64());
        Assert.Contains("active", (await Run("machines", "list")).Output);

        var propagators = Json(await Run("propagators", "list", "--machine", "A", "--status", "--json")).GetProperty("propagators").EnumerateArray().ToList();
        var listed = Assert.Single(propagators);
        Assert.Equal(add.Id, listed.GetProperty("id").GetString());
        Assert.Equal(["cli-x", "cli-y"], listed.GetProperty("inputs").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("cli", listed.GetProperty("network").GetString());
        Assert.Contains(add.Id, (await Run("propagators", "list")).Output);

        Assert.Equal(0, (await Run("cells", "tell", "cli-x", "40", "--network", "cli")).ExitCode);
        Assert.Equal(0, (await Run("cells", "tell", "cli-y", "2", "--network", "cli", "--premise", "gauge")).ExitCode);
        var quiet = await Run("quiescence", "--network", "cli", "--durable");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Contains("network 'cli' is quiescent and stored", quiet.Output);
        Assert.Equal("42 @ {gauge}", Json(await Run("cells", "get", "cli-z", "--json")).GetProperty("strongest").GetString());

        // Kicking the premise out withdraws what rests on it; bringing it in restores it.
        Assert.Contains("gauge: not believed (out)", (await Run("premises", "kick-out", "gauge", "--network", "cli")).Output);
        await network.WaitForQuiescence(Wait);
        Assert.Equal(Nothing.Instance, await network.Strongest("cli-z"));
        Assert.False(Json(await Run("premises", "show", "gauge", "--json")).GetProperty("in").GetBoolean());
        Assert.Contains("gauge: believed (in)", (await Run("premises", "bring-in", "gauge", "--network", "cli")).Output);
        await network.WaitForQuiescence(Wait);
        Assert.Equal(Supported.By(new NumberValue(42), "gauge"), await network.Strongest("cli-z"));
    }

    [Fact]
    public async Task Compact_shows_progress_and_lists_what_it_archived()
    {
        var network = new PropagatorNetwork(silo.Client.Client);
        var garbage = Enumerable.Range(0, 5).Select(i => $"cli-garbage-{i}").ToList();
        foreach (var cell in garbage) await network.Tell(cell, new NumberValue(1));
        await silo.Client.Client.GetGrain<ICellGrain>("cli-kept").Describe("kept by its name", CellKind.Value);
        await network.Tell("cli-kept", new NumberValue(2));
        await network.WaitForQuiescence(Wait, durable: true);

        var compact = await Run("compact");
        Assert.True(compact.ExitCode == 0, compact.ToString());
        Assert.Contains("scan cells", compact.Output);                // the progress of each phase
        Assert.Contains("archive unreachable cells", compact.Output);
        Assert.Contains("archived cells:", compact.Output);           // then the list
        foreach (var cell in garbage) Assert.Contains("  " + cell, compact.Output);
        Assert.DoesNotContain("cli-kept", compact.Output);

        // Other tests' cells of this silo may be unreachable too: these five are among what was archived, the named one is not.
        var summary = Json(await Run("compact", "--status", "--json")).GetProperty("summary");
        var archived = summary.GetProperty("samples").GetProperty("archived").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Subset(archived.ToHashSet(), garbage.ToHashSet());
        Assert.DoesNotContain("cli-kept", archived);
        Assert.Equal(archived.Count, summary.GetProperty("archived").GetInt64());
    }
}
