using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.TestSupport.Puzzles;
using Xunit;

namespace OrleansSync.Tests.Propagation;

/// <summary>
/// The in-process scheduler that serves as the reference and the benchmark ceiling. It runs the same rules as the
/// cluster: premises and kick-outs, amb and the search, closures.
/// </summary>
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

    [Fact]
    public void Amb_search_solves_the_multiple_dwelling_puzzle()
    {
        var network = new LocalNetwork(MergeRegistry.Default);
        foreach (var spec in MultipleDwelling.Propagators(c => c, i => $"m{i % 2}")) network.Attach(spec);
        foreach (var (cell, value) in MultipleDwelling.Requirements(c => c)) network.Tell(cell, value);
        network.Run();
        Assert.Equal(MultipleDwelling.Answer, MultipleDwelling.People.Select(p => MultipleDwelling.Floor(network.Strongest(p))));
        Assert.Empty(network.Contradictions);
        Assert.InRange(network.Statistics.ContradictionsHandled, 1, 99);
    }

    [Fact]
    public void An_unsatisfiable_amb_is_exhausted_with_an_empty_nogood()
    {
        var network = new LocalNetwork(MergeRegistry.Default);
        network.Attach(new PropagatorSpec("L/x", BuiltInPropagators.Amb, [], ["x"], [new NumberValue(1), new NumberValue(2)]));
        network.Attach(new PropagatorSpec("L/three", BuiltInPropagators.Constant, [], ["three"], [new NumberValue(3)]));
        network.Attach(new PropagatorSpec("L/eq", BuiltInPropagators.Equal, ["x", "three"], ["x=3"], []));
        network.Tell("x=3", BoolValue.True);
        network.Run();
        Assert.Equal(PremiseSet.Empty, Assert.Single(network.Exhausted).Value);
        Assert.True(network.Strongest("x").IsNothing);
    }

    [Fact]
    public void Kicking_out_a_premise_re_derives_exactly_its_cells()
    {
        var network = new LocalNetwork(MergeRegistry.Default);
        network.Attach(new PropagatorSpec("L/p", BuiltInPropagators.Product, ["x", "y", "p"], ["x", "y", "p"], []));
        network.Tell("x", Supported.By(new NumberValue(8), "fst"));
        network.Tell("p", Supported.By(new NumberValue(40), "snd"));
        network.Run();
        Assert.Equal(Supported.By(new NumberValue(5), "fst", "snd"), network.Strongest("y"));
        network.Tell("p", Supported.By(new NumberValue(5), "red"));
        network.Run();
        Assert.True(network.Strongest("p").IsContradiction);
        network.KickOut("red");
        network.Run();
        Assert.Equal(Supported.By(new NumberValue(40), "snd"), network.Strongest("p"));
        Assert.Empty(network.Contradictions);
    }

    [Fact]
    public void A_closure_applies_itself_recursively()
    {
        var network = new LocalNetwork(MergeRegistry.Default);
        network.Tell("globals", CarriedCell.Map(("sqrt-iter", "sqrt-iter")));
        network.Tell("sqrt-iter", new Closure(SqrtIter.Name, ["x", "g"], ["answer"], SqrtIter.Body(), "globals"));
        network.Attach(new PropagatorSpec("L/one", BuiltInPropagators.Constant, [], ["one"], [new NumberValue(1.0)]));
        network.Attach(new PropagatorSpec("L/apply", BuiltInPropagators.Apply, ["sqrt-iter", "x", "one"], ["answer"], []));
        network.Tell("x", new NumberValue(2));
        network.Run();
        Assert.Equal(new NumberValue(SqrtIter.OfTwo), network.Strongest("answer"));
    }
}
