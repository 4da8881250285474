using OrleansSync.Lattice;
using OrleansSync.Propagation;
using Xunit;

namespace OrleansSync.Tests.Propagation;

/// <summary>The in-process scheduler that serves as the reference and the benchmark ceiling.</summary>
public sealed class LocalNetworkTests
{
    [Fact]
    public void Barometer_B3_matches_the_MIT_numbers()
    {
        var network = new LocalNetwork(MergeRegistry.Default);
        static PropagatorSpec P(string id, string implementation, string[] inputs, string[] outputs, params PartialInfo[] args) => new($"L/{id}", implementation, inputs, outputs, args);
        network.Attach(P("1", BuiltInPropagators.Product, ["barometer-shadow", "ratio", "barometer-height"], ["barometer-shadow", "ratio", "barometer-height"]));
        network.Attach(P("2", BuiltInPropagators.Product, ["building-shadow", "ratio", "building-height"], ["building-shadow", "ratio", "building-height"]));
        network.Attach(P("3", BuiltInPropagators.Constant, [], ["g"], new Interval(9.789, 9.832)));
        network.Attach(P("4", BuiltInPropagators.Constant, [], ["half"], new Interval(0.5, 0.5)));
        network.Attach(P("5", BuiltInPropagators.Quadratic, ["t", "t2"], ["t", "t2"]));
        network.Attach(P("6", BuiltInPropagators.Product, ["g", "t2", "gt2"], ["g", "t2", "gt2"]));
        network.Attach(P("7", BuiltInPropagators.Product, ["half", "gt2", "building-height"], ["half", "gt2", "building-height"]));
        network.Tell("building-shadow", new Interval(54.9, 55.1));
        network.Tell("barometer-height", new Interval(0.3, 0.32));
        network.Tell("barometer-shadow", new Interval(0.36, 0.37));
        network.Tell("t", new Interval(2.9, 3.1));
        network.Run();
        Assert.Equal(new Interval(44.51351351351351, 47.24276000000001), network.Strongest("building-height"));
        Assert.Equal(new Interval(0.3, 0.3183938287795994), network.Strongest("barometer-height"));
        Assert.Equal(new Interval(3.0091234174691017, 3.1), network.Strongest("t"));
    }

    [Fact]
    public void Chain_runs_each_hop_once()
    {
        var network = new LocalNetwork(MergeRegistry.Default);
        network.Attach(new PropagatorSpec("L/one", BuiltInPropagators.Constant, [], ["one"], [new NumberValue(1)]));
        for (var i = 0; i < 100; i++)
            network.Attach(new PropagatorSpec($"L/{i}", BuiltInPropagators.Add, [$"c{i}", "one"], [$"c{i + 1}"], []));
        network.Run();
        var before = network.Runs;
        network.Tell("c0", new NumberValue(0));
        network.Run();
        Assert.Equal(new NumberValue(100), network.Strongest("c100"));
        Assert.Equal(100, network.Runs - before);
    }
}
