using Xunit;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Propagators;
using OrleansSync.TestSupport.Puzzles;
using P = OrleansSync.Propagation.BuiltInPropagators;

namespace OrleansSync.Tests.Network;

/// <summary>
/// Carried cells (cells holding cells, merge = unification), accessors and closures, on the 2-silo SQLite
/// cluster with propagators on both machines (propagator-model.md §2.11, case F6, and A7 as closures).
/// </summary>
public abstract class CompoundDataTests(NetworkFixture fixture) : NetworkTestBase(fixture)
{
    [Fact]
    public async Task F6_two_accessors_for_one_key_are_the_child_cell()
    {
        await Tell("d", CarriedCell.Map(("x", C("c1"))));
        await Net.Accessor(On(0), C("d"), "x", C("a1"));
        await Net.Accessor(On(1), C("d"), "x", C("a2"));
        await Quiesce();

        await Tell("a1", N(7));
        await Quiesce();

        AssertNumber(7, await Strongest("c1"));
        AssertNumber(7, await Strongest("a2"));
        var d = Assert.IsType<CarriedCell>(await Strongest("d"));
        Assert.Equal(C("a1"), d.Child("x"));
        Assert.Equal([C("a1"), C("a2"), C("c1")], d.Bindings.Single().Cells);
        Assert.Equal(CellKind.Carried, (await Net.Cell(C("d")).GetMetadata()).Kind);
    }

    [Fact]
    public async Task Syncing_two_carried_cells_unifies_their_children_key_by_key()
    {
        await Tell("m1", CarriedCell.Map(("x", C("p")), ("only1", C("u"))));
        await Tell("m2", CarriedCell.Map(("x", C("q")), ("only2", C("v"))));
        await Net.Constraint(On(1), P.Sync, C("m1"), C("m2"));
        await Quiesce();

        var m1 = Assert.IsType<CarriedCell>(await Strongest("m1"));
        Assert.Equal(await Strongest("m2"), m1);
        Assert.Equal(["only1", "only2", "x"], m1.Keys);

        await Tell("q", I(1, 5));
        await Tell("p", I(3, 9));
        await Quiesce();
        Assert.Equal(I(3, 5), await Strongest("p"));
        Assert.Equal(I(3, 5), await Strongest("q"));
    }

    [Fact]
    public async Task Closures_with_the_same_code_unify_their_environments()
    {
        ClosureStep[] body = [ClosureStep.Of(P.Add, "x", "k", "y")];
        await Tell("env1", CarriedCell.Map(("k", C("k1"))));
        await Tell("env2", CarriedCell.Map(("k", C("k2"))));
        await Tell("f", new Closure("f", ["x"], ["y"], body, C("env1")));
        await Tell("f", new Closure("f", ["x"], ["y"], body, C("env2")));
        await Tell("k2", N(10));
        await Quiesce();

        AssertNumber(10, await Strongest("k1"));
        Assert.Equal(CellKind.Closure, (await Net.Cell(C("f")).GetMetadata()).Kind);
        Assert.True((await Tell("f", new Closure("f", ["x"], ["y"], [ClosureStep.Of(P.Multiply, "x", "k", "y")], C("env1")))).Strongest.IsContradiction);
    }

    [Fact]
    public async Task A_closure_applied_at_two_call_sites_on_two_machines_builds_two_networks()
    {
        // double(x) -> y, closing over an environment that binds the factor.
        await Tell("env", CarriedCell.Map(("factor", C("two"))));
        await Tell("two", N(2));
        await Tell("double", new Closure("double", ["x"], ["y"], [ClosureStep.Of(P.Multiply, "x", "factor", "y")], C("env")));
        var first = await Net.Apply(On(0), C("double"), [C("x1")], [C("y1")]);
        await Net.Apply(On(1), C("double"), [C("x2")], [C("y2")]);
        await Quiesce();
        Assert.Equal(PropagatorStatus.WaitingForInputs, (await Net.Status(first.Spec.Id)).Status);

        await Tell("x1", N(3));
        await Tell("x2", N(5));
        await Quiesce();

        AssertNumber(6, await Strongest("y1"));
        AssertNumber(10, await Strongest("y2"));
        // The application's environment binds the parameters and has the closure's environment as parent.
        var frame = Assert.IsType<CarriedCell>(await Net.Strongest(first.Spec.Id + "/env"));
        Assert.Equal(C("x1"), frame.Child("x"));
        Assert.Equal(C("env"), frame.Child(Closure.Parent));
    }

    [Fact]
    public async Task A7_recursive_sqrt_as_a_closure_that_applies_itself()
    {
        await Tell("globals", CarriedCell.Map(("sqrt-iter", C("sqrt-iter"))));
        await Tell("sqrt-iter", new Closure(SqrtIter.Name, ["x", "g"], ["answer"], SqrtIter.Body(), C("globals")));
        await Net.Constant(On(1), N(1.0), C("one"));
        var root = await Net.Apply(On(0), C("sqrt-iter"), [C("x"), C("one")], [C("answer")]);

        await Tell("x", N(2));
        await Quiesce();

        AssertNumber(SqrtIter.OfTwo, await Strongest("answer"), 0);
        // Built lazily, once per level: five levels applied, the sixth saw only nothing — as with the blueprint.
        var depth = 0;
        for (var id = root.Spec.Id; (await Net.Status(id)).Status != PropagatorStatus.WaitingForInputs; id += $"/{SqrtIter.RecursiveStep}") depth++;
        Assert.Equal(5, depth);
    }
}

[Collection(OneSilo.Name)]
public sealed class CompoundDataOnOneSilo(OneSiloNetwork fixture) : CompoundDataTests(fixture);

[Collection(TwoSilos.Name)]
public sealed class CompoundDataOnTwoSilos(TwoSiloNetwork fixture) : CompoundDataTests(fixture);
