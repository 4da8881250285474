using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Propagators;
using OrleansSync.Tests.Cluster;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Readme;

/// <summary>
/// The README's C# examples, as written there (keep them in step), run: connecting a backend service to a real silo
/// process with <c>UseOrleansSync</c> and using cells, and the propagator examples on a cluster of machines A and B.
/// </summary>
public sealed class ReadmeExamplesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_backend_service_connects_and_uses_cells()
    {
        using var data = new TempDirectory();
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = data.Path });
        string[] args = [$"--OrleansSync:GatewayPort={silo.GatewayPort}"];

        // README: "Using cells from a backend service".
        var builder = Host.CreateApplicationBuilder(args);
        builder.UseOrleansSyncClient();   // localhost:30000, or PostgreSQL membership when ConnectionStrings:Postgres is set
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IClusterClient>();

        var changes = new ChangeRecorder();
        var height = client.GetGrain<ICellGrain>("building-height");
        await height.Describe("building height", CellKind.Value);
        var result = await height.Merge(new Interval(44.5, 48.9));   // returns once stored; result.Changed, .Strongest, .Version
        await height.Merge(new Interval(41.1, 47.2));                // strongest is now [44.5, 47.2]

        await using var subscriber = new CellSubscriber(client, change => { Console.WriteLine(change); return changes.Record(change); });
        await subscriber.SubscribeAsync("building-height");          // renewed automatically; survives silo failures

        Assert.True(result.Changed);
        Assert.Equal(new Interval(44.5, 47.2), await height.GetStrongest());
        await height.Merge(new Interval(45, 46));
        Assert.Equal(new Interval(45, 46), (await changes.WaitFor("building-height", 3)).Strongest);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_propagator_examples_run()
    {
        await using var cluster = await SqliteCluster.StartAsync(2);
        var client = cluster.Client;

        // README: "Running propagators".
        var network = new PropagatorNetwork(client, network: "demo");         // a scope: its own quiescence and reports
        await network.Constraint("A", "product", "f-32", "five", "c*9");       // multidirectional: sum, product, quadratic, sync
        await network.Primitive("B", "add", "x", "y", "z");                   // one way; the last cell is the output
        await network.Tell("x", new NumberValue(1));
        await network.Tell("y", new NumberValue(2));
        var report = await network.WaitForQuiescence(TimeSpan.FromSeconds(30));   // this network's propagation is done; lists its contradictions
        var z = await network.Strongest("z");
        await network.WaitForQuiescence(TimeSpan.FromSeconds(30), durable: true); // ... and every derived content is stored

        await network.Tell("t", Supported.By(new Interval(2.9, 3.1), "stopwatch"));   // premises
        await network.KickOut("stopwatch");                                           // re-evaluates only cells that mention it
        await network.Amb("A", "x", new NumberValue(1), new NumberValue(2));          // search, with nogood learning
        var searched = (await network.WaitForQuiescence(TimeSpan.FromSeconds(30))).Search;   // contradictions handled, nogoods learned, choices

        Assert.Empty(report.Contradictions);
        Assert.Equal(new NumberValue(3), z);
        Assert.True((await network.Strongest("t")).IsNothing);
        // x was told 1 (a fact): the amb's choice 2 clashes with it, so the search keeps 1.
        Assert.Equal(new NumberValue(1), ((Supported)await network.Strongest("x")).Value);
        Assert.True(searched.ChoicesTried >= 1);

        // README: carried cells and closures.
        await network.Tell("env", CarriedCell.Map(("factor", "two")));
        await network.Tell("two", new NumberValue(2));
        await network.Tell("double", new Closure("double", ["x"], ["y"], [ClosureStep.Of("multiply", "x", "factor", "y")], "env"));
        await network.Apply("A", "double", ["x1"], ["y1"]);              // y1 = 2 * x1, built when x1 is known
        await network.Accessor("A", "env", "factor", "f");                // f is the child at "factor" from now on
        await network.Cell("scratch").Delete();                           // removes the cell's row

        await network.Tell("x1", new NumberValue(21));
        await network.WaitForQuiescence(Timeout);
        Assert.Equal(new NumberValue(42), await network.Strongest("y1"));
        Assert.Equal(new NumberValue(2), await network.Strongest("f"));
    }
}
