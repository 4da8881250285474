using Xunit;
using OrleansSync.Grains.Propagators;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.Tests.Cluster;

namespace OrleansSync.Tests.Network;

/// <summary>
/// A 2-silo cluster on real SQLite, machines A and B; both know the recursive square-root blueprints of
/// the art-of-the-propagator paper besides the built-ins.
/// </summary>
public sealed class NetworkFixture : Xunit.IAsyncLifetime
{
    public const string A = "A";
    public const string B = "B";

    public SqliteCluster Cluster { get; private set; } = null!;

    public PropagatorNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SqliteCluster.StartAsync(2, configure: (_, silo) =>
        {
            foreach (var blueprint in SquareRoot.Blueprints) silo.Services.AddPropagator(blueprint);
        });
        Network = new PropagatorNetwork(Cluster.Client);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class NetworkCollection : ICollectionFixture<NetworkFixture>
{
    public const string Name = "Propagator network";
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
