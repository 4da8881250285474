using Microsoft.Extensions.DependencyInjection;
using Xunit;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Propagators;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.Tests.Cluster;

namespace OrleansSync.Tests.Network;

/// <summary>
/// A cluster on real SQLite whose silos are machines A (and B); every machine knows the recursive square-root
/// blueprints of the art-of-the-propagator paper besides the built-ins. The acceptance cases run on one silo and on
/// two (<see cref="OneSiloNetwork"/>, <see cref="TwoSiloNetwork"/>).
/// </summary>
public abstract class NetworkFixture(int silos) : Xunit.IAsyncLifetime
{
    public SqliteCluster Cluster { get; private set; } = null!;

    /// <summary>The machines, one per silo.</summary>
    public IReadOnlyList<string> Machines { get; } = [.. Enumerable.Range(0, silos).Select(i => ((char)('A' + i)).ToString())];

    public async Task InitializeAsync()
    {
        Cluster = await SqliteCluster.StartAsync(silos, configure: (_, silo) =>
        {
            foreach (var blueprint in SquareRoot.Blueprints) silo.Services.AddPropagator(blueprint);
            silo.Services.AddPropagator(Held.Propagator);
            // A held run keeps a worker: leave others for the rest, whatever the processor count.
            silo.Services.Configure<SchedulerOptions>(o => o.Workers = 4);
        });
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class OneSiloNetwork() : NetworkFixture(1);

public sealed class TwoSiloNetwork() : NetworkFixture(2);

[CollectionDefinition(Name)]
public sealed class OneSilo : ICollectionFixture<OneSiloNetwork>
{
    public const string Name = "Propagator network on one silo";
}

[CollectionDefinition(Name)]
public sealed class TwoSilos : ICollectionFixture<TwoSiloNetwork>
{
    public const string Name = "Propagator network on two silos";
}

/// <summary>
/// A propagator (<c>held</c>: identity) whose runs wait until a test lets them go: how a test keeps one network busy
/// while it looks at another. Waiting is bounded, so a test that forgets to release cannot hang a worker for long.
/// </summary>
public static class Held
{
    public const string Name = "held";

    private static readonly SemaphoreSlim Gate = new(0);

    public static IPropagatorImplementation Propagator { get; } = new FunctionPropagator(Name, (inputs, _) =>
    {
        Gate.Wait(TimeSpan.FromSeconds(30));
        return inputs[0];
    });

    public static void Release(int runs = 1) => Gate.Release(runs);
}

/// <summary>The recursive square root of Radul and Sussman §2, as delayed (compound) blueprints.</summary>
public static class SquareRoot
{
    public const string Network = "sqrt-network";

    public static IReadOnlyList<IPropagatorImplementation> Blueprints { get; } =
    [
        new BlueprintPropagator("heron-step", n =>
        {
            string x = n.Inputs[0], g = n.Inputs[1], h = n.Outputs[0];
            n.Constant(new NumberValue(2), n.Cell("two"))
                .Add(BuiltInPropagators.Divide, x, g, n.Cell("x/g"))
                .Add(BuiltInPropagators.Add, g, n.Cell("x/g"), n.Cell("g+x/g"))
                .Add(BuiltInPropagators.Divide, n.Cell("g+x/g"), n.Cell("two"), h);
        }),
        new BlueprintPropagator("good-enough", n =>
        {
            string g = n.Inputs[0], x = n.Inputs[1], done = n.Outputs[0];
            n.Constant(new NumberValue(1e-8), n.Cell("eps"))
                .Add(BuiltInPropagators.Multiply, g, g, n.Cell("g^2"))
                .Add(BuiltInPropagators.Subtract, x, n.Cell("g^2"), n.Cell("x-g^2"))
                .Add(BuiltInPropagators.Abs, n.Cell("x-g^2"), n.Cell("|x-g^2|"))
                .Add(BuiltInPropagators.LessThan, n.Cell("|x-g^2|"), n.Cell("eps"), done);
        }),
        new BlueprintPropagator("sqrt-iter", n =>
        {
            string x = n.Inputs[0], g = n.Inputs[1], answer = n.Outputs[0];
            string done = n.Cell("done"), notDone = n.Cell("not-done"), xIf = n.Cell("x-if-not-done"), gIf = n.Cell("g-if-not-done"), newG = n.Cell("new-g");
            n.Add("good-enough", [g, x], [done])
                .Add(BuiltInPropagators.Switch, done, g, answer)
                .Add(BuiltInPropagators.Not, done, notDone)
                .Add(BuiltInPropagators.Switch, notDone, x, xIf)
                .Add(BuiltInPropagators.Switch, notDone, g, gIf)
                .Add("heron-step", [xIf, gIf], [newG])
                .Add("sqrt-iter", [xIf, newG], [answer]);
        }),
        new BlueprintPropagator(Network, n =>
            n.Constant(new NumberValue(1.0), n.Cell("one"))
                .Add("sqrt-iter", [n.Inputs[0], n.Cell("one")], [n.Outputs[0]])),
    ];
}
