using OrleansSync.Lattice;
using Xunit;
using P = OrleansSync.Propagation.BuiltInPropagators;

namespace OrleansSync.Tests.Network;

/// <summary>amb and dependency-directed backtracking across the cluster: cases E2–E5.</summary>
[Collection(NetworkCollection.Name)]
public sealed class SearchTests(NetworkFixture fixture) : NetworkTestBase(fixture)
{
    private static readonly Supported True = Fact(BoolValue.True);

    private static double Value(PartialInfo strongest) => ((NumberValue)((Supported)strongest).Value).Value;

    /// <summary>Each cell is one of 1..<paramref name="n"/>, chosen by its own amb.</summary>
    private async Task Choices(int n, params string[] cells)
    {
        var values = Enumerable.Range(1, n).Select(i => (PartialInfo)N(i)).ToArray();
        for (var i = 0; i < cells.Length; i++) await Net.Amb(On(i), C(cells[i]), values);
    }

    [Fact]
    public async Task E2_binary_or_backtracks_from_false_false()
    {
        // Both ambs prefer false, so the first worldview contradicts the required c = true.
        await Net.Amb(On(0), C("a"), BoolValue.False, BoolValue.True);
        await Net.Amb(On(1), C("b"), BoolValue.False, BoolValue.True);
        await Net.Primitive(On(0), P.Or, C("a"), C("b"), C("c"));
        await Tell("c", True);
        var report = await Quiesce();
        var a = (BoolValue)((Supported)await Strongest("a")).Value;
        var b = (BoolValue)((Supported)await Strongest("b")).Value;
        Assert.True(a.Value || b.Value);
        Assert.False((await Strongest("c")).IsContradiction);
        Assert.DoesNotContain(report.Contradictions, c => c.Source.Contains(C(""), StringComparison.Ordinal));
    }

    [Fact]
    public async Task E3_adder_search()
    {
        await Choices(5, "x", "y", "z");
        await Net.Primitive(On(1), P.Add, C("x"), C("y"), C("z"));
        await Quiesce();
        var (x, y, z) = (Value(await Strongest("x")), Value(await Strongest("y")), Value(await Strongest("z")));
        Assert.Equal(z, x + y);
    }

    [Fact]
    public async Task E4_pythagorean_triple()
    {
        await Choices(8, "x", "y", "z");
        await Net.Primitive(On(1), P.Square, C("x"), C("x2"));
        await Net.Primitive(On(0), P.Square, C("y"), C("y2"));
        await Net.Primitive(On(1), P.Square, C("z"), C("z2"));
        await Net.Primitive(On(0), P.Add, C("x2"), C("y2"), C("x2+y2"));
        await Net.Primitive(On(1), P.Equal, C("x2+y2"), C("z2"), C("right-angle"));
        await Tell("right-angle", True);
        await Quiesce();
        var triple = (Value(await Strongest("x")), Value(await Strongest("y")), Value(await Strongest("z")));
        Assert.Contains(triple, new[] { (3.0, 4.0, 5.0), (4.0, 3.0, 5.0) });
    }

    [Fact]
    public async Task E5_unsatisfiable_search_is_reported_to_the_caller()
    {
        var amb = await Net.Amb(On(0), C("x"), N(1), N(2));
        await Net.Constant(On(1), N(3), C("three"));
        await Net.Primitive(On(0), P.Equal, C("x"), C("three"), C("x=3"));
        await Tell("x=3", True);
        var report = await Quiesce();
        var failure = Assert.Single(report.Unresolvable, c => c.Source == $"amb:{amb.Id}");
        Assert.Equal(PremiseSet.Empty, failure.Nogood);
        Assert.True((await Strongest("x")).IsNothing);
    }
}
