using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.TestSupport.Puzzles;
using Xunit;
using P = OrleansSync.Propagation.BuiltInPropagators;

namespace OrleansSync.Tests.Network;

/// <summary>amb and dependency-directed backtracking across the cluster: cases E2–E5.</summary>
public abstract class SearchTests(NetworkFixture fixture) : NetworkTestBase(fixture)
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
        // The first consistent assignment in search order (x, then y, then z; each from 1 up).
        Assert.Equal((1.0, 1.0, 2.0), (x, y, z));
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
        Assert.Equal((3.0, 4.0, 5.0), triple);
    }

    [Fact]
    public async Task Multiple_dwelling_finds_the_one_answer_with_few_contradictions()
    {
        async Task<QuiescenceReport> Solve(PropagatorNetwork net, string prefix)
        {
            string Cell(string name) => C($"{prefix}.{name}");
            foreach (var spec in MultipleDwelling.Propagators(Cell, On, net.Network)) await net.Create(spec);
            foreach (var (cell, value) in MultipleDwelling.Requirements(Cell)) await net.Tell(cell, value);
            var report = await net.WaitForQuiescence(QuiescenceTimeout);
            var floors = new List<double>();
            foreach (var person in MultipleDwelling.People) floors.Add(MultipleDwelling.Floor(await net.Strongest(Cell(person))));
            Assert.Equal(MultipleDwelling.Answer, floors);
            Assert.Empty(report.Contradictions);
            Assert.InRange(report.Search.ContradictionsHandled, 1, 99);
            return report;
        }

        // Twice, in two networks: the answer is the same; how many contradictions it took may not be (which true
        // nogoods a cell finds on the way depends on the order results reach it).
        await Solve(Net, "first");
        await Solve(Net.For(Net.Network + "-again"), "second");
    }

    [Fact]
    public async Task A_search_with_many_answers_finds_the_same_one_every_time()
    {
        async Task<(double, double, double)> Triple(PropagatorNetwork net, string prefix)
        {
            string Cell(string name) => C($"{prefix}.{name}");
            var values = Enumerable.Range(1, 10).Select(i => (PartialInfo)N(i)).ToArray();
            await net.Amb(On(0), Cell("x"), values);
            await net.Amb(On(1), Cell("y"), values);
            await net.Amb(On(0), Cell("z"), values);
            await net.Primitive(On(1), P.Square, Cell("x"), Cell("x2"));
            await net.Primitive(On(0), P.Square, Cell("y"), Cell("y2"));
            await net.Primitive(On(1), P.Square, Cell("z"), Cell("z2"));
            await net.Primitive(On(0), P.Add, Cell("x2"), Cell("y2"), Cell("x2+y2"));
            await net.Primitive(On(1), P.Equal, Cell("x2+y2"), Cell("z2"), Cell("right-angle"));
            await net.Tell(Cell("right-angle"), BoolValue.True);
            await net.WaitForQuiescence(QuiescenceTimeout);
            return (Value(await net.Strongest(Cell("x"))), Value(await net.Strongest(Cell("y"))), Value(await net.Strongest(Cell("z"))));
        }

        // Of the four triples, always the first in search order, however the contradictions on the way were found.
        Assert.Equal((3.0, 4.0, 5.0), await Triple(Net, "first"));
        Assert.Equal((3.0, 4.0, 5.0), await Triple(Net.For(Net.Network + "-again"), "second"));
    }

    [Fact]
    public async Task A_plain_tell_is_a_fact_the_search_works_with()
    {
        // A plain value beside an amb's supported choices rests on no premise: choices that clash with it are
        // nogoods the search learns, not a contradiction for ever.
        await Tell("x", N(2));
        await Net.Amb(On(0), C("x"), N(1), N(2), N(3));
        var report = await Quiesce();
        Assert.Equal(2, Value(await Strongest("x")));
        Assert.Empty(report.Contradictions);
        Assert.True(report.Search.NogoodsLearned >= 1);
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

[Collection(OneSilo.Name)]
public sealed class SearchOnOneSilo(OneSiloNetwork fixture) : SearchTests(fixture);

[Collection(TwoSilos.Name)]
public sealed class SearchOnTwoSilos(TwoSiloNetwork fixture) : SearchTests(fixture);
