using Xunit;
using OrleansSync.Graph;
using OrleansSync.Lattice;
using OrleansSync.Propagation;

namespace OrleansSync.Tests.Propagation;

/// <summary>How a closure application resolves names, without a cluster: environments are a dictionary of cell contents.</summary>
public sealed class ClosureApplicationTests
{
    private static readonly Dictionary<string, PartialInfo> Cells = new()
    {
        ["globals"] = CarriedCell.Map(("k", "k-cell"), ("double", "double-cell")),
        ["inner"] = CarriedCell.Map(("parent", "globals"), ("k", "shadowing-k")),
        ["loop-a"] = CarriedCell.Map(("parent", "loop-b")),
        ["loop-b"] = CarriedCell.Map(("parent", "loop-a")),
    };

    private static Task<PartialInfo> Read(string cell) => Task.FromResult(Cells.GetValueOrDefault(cell) ?? Nothing.Instance);

    private static PropagatorSpec Application(int inputs) =>
        new("A/app", BuiltInPropagators.Apply, ["f", .. Enumerable.Range(0, inputs).Select(i => $"arg{i}")], ["out"], []);

    [Fact]
    public async Task Names_resolve_to_parameters_then_the_environment_chain_then_local_cells()
    {
        var closure = new Closure("f", ["x"], ["y"],
            [ClosureStep.Of("add", "x", "k", "t"), ClosureStep.Of("double", "t", "y")], "inner");

        var (children, environment) = await new ClosureApplication(Application(1), closure, Read).BuildAsync();

        // k is shadowed by the closure's own environment; t is local; double is a closure bound in a parent: applied.
        Assert.Equal(["arg0", "shadowing-k"], children[0].Inputs);
        Assert.Equal(["A/app/t"], children[0].Outputs);
        Assert.Equal("add", children[0].Implementation);
        Assert.Equal(BuiltInPropagators.Apply, children[1].Implementation);
        Assert.Equal(["double-cell", "A/app/t"], children[1].Inputs);
        Assert.Equal(["out"], children[1].Outputs);
        Assert.Equal(["A/app/0", "A/app/1"], children.Select(c => c.Id));
        Assert.Equal("inner", environment.Child("parent"));
        Assert.Equal("arg0", environment.Child("x"));
        Assert.Equal("out", environment.Child("y"));
        Assert.Equal("A/app/t", environment.Child("t"));
    }

    [Fact]
    public async Task A_cyclic_environment_chain_ends_the_lookup_and_the_name_is_local()
    {
        var closure = new Closure("f", ["x"], ["y"], [ClosureStep.Of("add", "x", "nowhere", "y")], "loop-a");

        var (children, _) = await new ClosureApplication(Application(1), closure, Read).BuildAsync();

        Assert.Equal(["arg0", "A/app/nowhere"], children[0].Inputs);
    }

    [Fact]
    public async Task An_application_with_the_wrong_number_of_cells_is_refused()
    {
        var closure = new Closure("f", ["x", "z"], ["y"], [ClosureStep.Of("add", "x", "z", "y")], "globals");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new ClosureApplication(Application(1), closure, Read).BuildAsync());
        Assert.Contains("takes 2 input(s)", error.Message);
    }

    [Fact]
    public void Marking_follows_references_through_cycles_and_marks_unknown_ones()
    {
        var references = new Dictionary<string, string[]>
        {
            ["root"] = ["a"],
            ["a"] = ["b", "root"],
            ["b"] = ["archived"],
            ["lonely"] = ["a"],
        };

        var marked = Reachability.Mark(["root"], references);

        Assert.Equal(["a", "archived", "b", "root"], marked.Order(StringComparer.Ordinal));
    }
}
