// The README's C# snippets, verbatim (tests/OrleansSync.Tests/Readme/ReadmeSnippetsTests.cs checks that each is here).
// Run against a service started with ./scripts/run.sh MACHINES=2 (machines A and B): dotnet run --project tests/Samples
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSync;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Propagators;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleansSyncClient();   // localhost:30000, or PostgreSQL membership when ConnectionStrings:Postgres is set
using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IClusterClient>();

var height = client.GetGrain<ICellGrain>("building-height");
await height.Describe("building height", CellKind.Value);
var result = await height.Merge(new Interval(44.5, 48.9));   // returns once stored; result.Changed, .Strongest, .Version
await height.Merge(new Interval(41.1, 47.2));                // strongest is now [44.5, 47.2]

await using var subscriber = new CellSubscriber(client, change => { Console.WriteLine(change); return Task.CompletedTask; });
await subscriber.SubscribeAsync("building-height");          // renewed automatically; survives silo failures

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

await network.Tell("env", CarriedCell.Map(("factor", "two")));
await network.Tell("two", new NumberValue(2));
await network.Tell("double", new Closure("double", ["x"], ["y"], [ClosureStep.Of("multiply", "x", "factor", "y")], "env"));
await network.Apply("A", "double", ["x1"], ["y1"]);              // y1 = 2 * x1, built when x1 is known
await network.Accessor("A", "env", "factor", "f");                // f is the child at "factor" from now on
await network.Cell("scratch").Delete();                           // removes the cell's row

await host.StopAsync();

