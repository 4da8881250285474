using Xunit;
using OrleansSync.Lattice;

namespace OrleansSync.Tests.Lattice;

/// <summary>Carried cells and closures as data: what their merges mean (the laws are in <see cref="MergeLawTests"/>).</summary>
public sealed class CarriedCellTests
{
    private static readonly MergeRegistry Registry = MergeRegistry.Default;

    [Fact]
    public void A_key_bound_to_two_cells_keeps_both_and_unifies_them_with_the_smallest()
    {
        var merged = (CarriedCell)Registry.Merge(CarriedCell.Map(("x", "c2"), ("y", "c9")), CarriedCell.Map(("x", "c1")));

        Assert.Equal("c1", merged.Child("x"));
        Assert.Equal("c9", merged.Child("y"));
        Assert.Equal([("c1", "c2")], merged.Unifications);
        Assert.Equal(["c1", "c2", "c9"], merged.ReferencedCells.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void New_keys_extend_the_map_and_known_bindings_change_nothing()
    {
        var content = CarriedCell.Map(("x", "c1"));

        Assert.Same(content, Registry.Merge(content, CarriedCell.Map(("x", "c1"))));
        Assert.Equal(CarriedCell.Map(("x", "c1"), ("y", "c2")), Registry.Merge(content, CarriedCell.Map(("y", "c2"))));
    }

    [Fact]
    public void A_map_and_a_list_contradict()
    {
        Assert.True(Registry.Merge(CarriedCell.Map(("0", "c1")), CarriedCell.List("c1")).IsContradiction);
        Assert.Throws<ArgumentException>(() => CarriedCell.Of(CarriedStructure.List, [("x", "c1")]));
    }

    [Fact]
    public void Closures_with_the_same_code_merge_environments_and_different_code_contradicts()
    {
        ClosureStep[] body = [ClosureStep.Of("add", "x", "y", "z")];
        var a = new Closure("f", ["x", "y"], ["z"], body, "env-b");
        var b = new Closure("f", ["x", "y"], ["z"], body, "env-a");

        var merged = (Closure)Registry.Merge(a, b);
        Assert.Equal("env-a", merged.Environment);
        Assert.Equal([("env-a", "env-b")], merged.Unifications);

        var other = new Closure("f", ["x", "y"], ["z"], [ClosureStep.Of("multiply", "x", "y", "z")], "env-a");
        Assert.True(Registry.Merge(a, other).IsContradiction);
    }

    [Fact]
    public void References_are_seen_inside_supported_values()
    {
        var supported = Supported.By(CarriedCell.Map(("x", "c1")), "p");
        Assert.Equal(["c1"], CellReferences.Of(supported));
        Assert.Empty(CellReferences.Of(new NumberValue(1)));
    }
}
