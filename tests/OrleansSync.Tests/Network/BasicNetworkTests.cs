using Xunit;
using Orleans.Runtime;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using P = OrleansSync.Propagation.BuiltInPropagators;

namespace OrleansSync.Tests.Network;

/// <summary>Acceptance cases A1–A8 (A5 with clocked values) and F1–F3 of docs/propagator-model.md §5, plus cycles and disposal.</summary>
public abstract class BasicNetworkTests(NetworkFixture fixture) : NetworkTestBase(fixture)
{
    [Fact]
    public async Task A1_adder()
    {
        await Tell("a", N(3));
        await Net.Primitive(On(0), P.Add, C("a"), C("b"), C("e"));
        await Quiesce();
        Assert.True((await Strongest("e")).IsNothing);
        await Tell("b", N(2));
        await Quiesce();
        AssertNumber(5, await Strongest("e"));
    }

    [Fact]
    public async Task A2_fahrenheit_to_celsius_one_way()
    {
        await TemperatureConstants("");
        await Net.Primitive(On(1), P.Subtract, C("f"), C("32"), C("f-32"));
        await Net.Primitive(On(0), P.Multiply, C("f-32"), C("5"), C("c*9"));
        await Net.Primitive(On(1), P.Divide, C("c*9"), C("9"), C("c"));
        await Tell("f", N(77));
        await Quiesce();
        AssertNumber(25, await Strongest("c"));
    }

    [Fact]
    public async Task A3_A4_celsius_fahrenheit_both_ways_and_kelvin_added_later()
    {
        await Converter("");
        await Tell("c", N(25));
        await Quiesce();
        AssertNumber(77, await Strongest("f"));

        await Converter("fresh.");
        await Tell("fresh.f", N(77));
        await Quiesce();
        AssertNumber(25, await Strongest("fresh.c"));

        // A4: attaching a propagator runs it; no input needs to be told again.
        await Net.Constant(On(1), N(273.15), C("273.15"));
        await Net.Constraint(On(0), P.Sum, C("c"), C("273.15"), C("k"));
        await Quiesce();
        AssertNumber(298.15, await Strongest("k"));
    }

    private async Task Converter(string p)
    {
        await TemperatureConstants(p);
        await Net.Constraint(On(1), P.Sum, C(p + "32"), C(p + "f-32"), C(p + "f"));
        await Net.Constraint(On(0), P.Product, C(p + "f-32"), C(p + "5"), C(p + "c*9"));
        await Net.Constraint(On(1), P.Product, C(p + "c"), C(p + "9"), C(p + "c*9"));
    }

    [Fact]
    public async Task A5_a_fresher_edit_of_an_input_supersedes_what_was_derived()
    {
        // celsius → fahrenheit and fahrenheit → celsius as two one-way maps, with plain constants.
        await TemperatureConstants("");
        await Net.Primitive(On(1), P.Multiply, C("c"), C("9"), C("c*9"));
        await Net.Primitive(On(0), P.Divide, C("c*9"), C("5"), C("c*9/5"));
        await Net.Primitive(On(1), P.Add, C("c*9/5"), C("32"), C("f"));
        await Net.Primitive(On(0), P.Subtract, C("f"), C("32"), C("f-32"));
        await Net.Primitive(On(1), P.Multiply, C("f-32"), C("5"), C("(f-32)*5"));
        await Net.Primitive(On(0), P.Divide, C("(f-32)*5"), C("9"), C("c"));

        await Tell("c", ClockedValues.Edit(Nothing.Instance, "ui", N(0)));
        await Quiesce();
        Assert.Equal(N(32), Clocked(await Strongest("f")));

        var f = await Net.Cell(C("f")).GetContent();
        await Tell("f", ClockedValues.Edit(f, "ui", N(212)));
        await Quiesce();
        Assert.Equal(N(212), Clocked(await Strongest("f")));
        Assert.Equal(N(100), Clocked(await Strongest("c")));
    }

    /// <summary>Cells holding 32, 5 and 9, named by their value after <paramref name="p"/>.</summary>
    private async Task TemperatureConstants(string p)
    {
        await Net.Constant(On(0), N(32), C(p + "32"));
        await Net.Constant(On(1), N(5), C(p + "5"));
        await Net.Constant(On(0), N(9), C(p + "9"));
    }

    private static PartialInfo Clocked(PartialInfo strongest) => Assert.IsType<ClockedValues>(strongest).Entries.Single().Value;

    [Fact]
    public async Task A6_heron_step()
    {
        await Net.Create(On(1), "heron-step", [C("x"), C("g")], [C("h")]);
        await Tell("x", N(2));
        await Tell("g", N(1.4));
        await Quiesce();
        AssertNumber(1.4142857142857141, await Strongest("h"));
    }

    [Fact]
    public async Task A7_recursive_sqrt_expands_lazily_and_terminates()
    {
        var root = await Net.Create(On(0), SquareRoot.Network, [C("x")], [C("answer")]);
        Assert.Equal(PropagatorStatus.WaitingForInputs, root.Status);
        await Tell("x", N(2));
        await Quiesce();
        AssertNumber(1.4142135623746899, await Strongest("answer"), 0);
        // Five sqrt-iter levels expanded (four Heron steps, then "good enough"); the sixth saw only nothing.
        var depth = 0;
        var iter = (await Net.Status(root.Id)).Spec.Id + "/1";
        while (true)
        {
            var info = await Net.Status(iter);
            if (info.Status == PropagatorStatus.WaitingForInputs) break;
            depth++;
            iter += "/6";
        }
        Assert.Equal(5, depth);
    }

    [Fact]
    public async Task A8_quadratic_both_ways_and_contradiction()
    {
        await Net.Constraint(On(0), P.Quadratic, C("x"), C("x^2"));
        await Net.Constraint(On(1), P.Quadratic, C("y"), C("y^2"));
        await Net.Constraint(On(0), P.Quadratic, C("z"), C("z^2"));
        await Tell("x", N(10));
        await Tell("y^2", N(1764));
        await Tell("z", N(10));
        await Quiesce();
        AssertNumber(100, await Strongest("x^2"));
        AssertNumber(42, await Strongest("y"));

        var answer = await Net.Tell(C("z^2"), N(123));
        var report = await Quiesce();
        var contradiction = Assert.IsType<Contradiction>(answer.Strongest);
        Assert.Equal("100 != 123", contradiction.Reason);
        Assert.True((await Strongest("z^2")).IsContradiction);
        var record = Assert.Single(report.Contradictions, c => c.Source == C("z^2"));
        Assert.True(record.Unresolvable);
    }

    [Fact]
    public async Task F1_multiply()
    {
        await Net.Primitive(On(1), P.Multiply, C("x"), C("y"), C("product"));
        await Tell("x", N(8));
        await Tell("y", N(5));
        await Quiesce();
        AssertNumber(40, await Strongest("product"));
    }

    [Fact]
    public async Task F2_sum_constraint_then_contradiction()
    {
        await Net.Constraint(On(0), P.Sum, C("x"), C("y"), C("s"));
        await Tell("s", N(10));
        await Tell("x", N(3));
        await Quiesce();
        AssertNumber(7, await Strongest("y"));
        await Tell("y", N(8));
        await Quiesce();
        Assert.True((await Strongest("y")).IsContradiction);
    }

    [Fact]
    public async Task F3_product_with_zero_stays_nothing_without_fault()
    {
        var product = await Net.Constraint(On(1), P.Product, C("x"), C("y"), C("total"));
        await Tell("x", N(0));
        await Tell("total", N(0));
        await Quiesce();
        Assert.True((await Strongest("y")).IsNothing);
        var children = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Net.Status($"{product.Id}/{i}")));
        Assert.DoesNotContain(children, c => c.Status == PropagatorStatus.Failed);
    }

    [Fact]
    public async Task Cyclic_network_terminates_when_merges_stop_changing()
    {
        // a → b → c → a, each hop on the other machine.
        await Net.Primitive(On(0), P.Identity, C("a"), C("b"));
        await Net.Primitive(On(1), P.Identity, C("b"), C("c"));
        await Net.Primitive(On(0), P.Identity, C("c"), C("a"));
        await Tell("a", new MaxValue(5));
        await Quiesce();
        foreach (var cell in new[] { "a", "b", "c" }) Assert.Equal(new MaxValue(5), await Strongest(cell));
        await Tell("b", new MaxValue(9));
        await Quiesce();
        foreach (var cell in new[] { "a", "b", "c" }) Assert.Equal(new MaxValue(9), await Strongest(cell));
        // A redundant increment changes nothing and wakes nobody.
        var before = await Net.Cell(C("a")).GetMetadata();
        Assert.False((await Tell("c", new MaxValue(3))).Changed);
        await Quiesce();
        Assert.Equal(before.Version, (await Net.Cell(C("a")).GetMetadata()).Version);
    }

    [Fact]
    public async Task Disposed_propagator_stops_but_keeps_its_metadata()
    {
        var identity = await Net.Primitive(On(1), P.Identity, C("in"), C("out"));
        await Tell("in", new MaxValue(1));
        await Quiesce();
        Assert.Equal(new MaxValue(1), await Strongest("out"));

        var disposed = await Net.Dispose(identity.Id);
        Assert.Equal(PropagatorStatus.Disposed, disposed.Status);
        await Tell("in", new MaxValue(5));
        await Quiesce();
        Assert.Equal(new MaxValue(1), await Strongest("out"));
        Assert.Empty(await Net.Cell(C("in")).GetNeighbors());
        Assert.DoesNotContain(identity.Id, (await Net.Registry.GetPropagators(On(1))).Select(p => p.Id));
        var history = await Net.Status(identity.Id);
        Assert.Equal(PropagatorStatus.Disposed, history.Status);
        Assert.Equal(P.Identity, history.Spec.Implementation);
        Assert.NotNull(history.DisposedAt);
    }

    [Fact]
    public async Task Unknown_implementation_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Net.Primitive(On(0), "frobnicate", C("x"), C("y")));
        Assert.Contains("no propagator implementation named 'frobnicate'", error.Message);
    }

    [Fact]
    public async Task Propagators_run_on_their_machine_and_cells_live_beside_their_propagators()
    {
        var created = new List<PropagatorInfo>();
        for (var i = 0; i < 20; i++) created.Add(await Net.Primitive(On(i), P.Identity, C($"s{i}"), C($"s{i + 1}")));
        await Tell("s0", new MaxValue(1));
        await Quiesce();
        Assert.Equal(new MaxValue(1), await Strongest("s20"));

        var management = Fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var silos = Fixture.Cluster.Cluster.Silos.ToDictionary(s => s.SiloAddress, s => s);
        var cellSilos = new HashSet<SiloAddress>();
        for (var i = 0; i <= 20; i++)
        {
            var at = (await management.GetActivationAddress(Net.Cell(C($"s{i}"))))!;
            cellSilos.Add(at);
            // Placed near the propagators that use it: on the silo of its writer or of its reader, never a third one.
            var near = new[] { i - 1, i }.Where(p => p is >= 0 and < 20).Select(p => Fixture.Cluster.SiloOf(created[p].Machine).SiloAddress);
            Assert.Contains(at, near);
        }
        Assert.Equal(Fixture.Machines.Count, cellSilos.Count);

        foreach (var propagator in created)
        {
            var at = await management.GetActivationAddress(Fixture.Cluster.Client.GetGrain<IPropagatorGrain>(propagator.Id));
            Assert.Equal(Fixture.Cluster.SiloOf(propagator.Machine).SiloAddress, at);
        }
    }
}

[Collection(OneSilo.Name)]
public sealed class BasicNetworkOnOneSilo(OneSiloNetwork fixture) : BasicNetworkTests(fixture);

[Collection(TwoSilos.Name)]
public sealed class BasicNetworkOnTwoSilos(TwoSiloNetwork fixture) : BasicNetworkTests(fixture);
