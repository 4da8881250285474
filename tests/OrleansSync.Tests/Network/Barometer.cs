using Xunit;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Tests.Network;

/// <summary>
/// The building-height networks of Radul and Sussman §3 (MIT core/test/barometer-test.scm), built with
/// multidirectional constraints. Constants are wrapped by <c>constant</c> so the same networks run on
/// plain intervals and on supported values (a fact is a value supported by no premise).
/// </summary>
public static class Barometer
{
    public static readonly string[] Cells = ["fall-time", "building-height", "barometer-height", "barometer-shadow", "building-shadow"];

    /// <summary>h = 1/2 g t², g in [9.789, 9.832], both directions.</summary>
    public static IEnumerable<PropagatorSpec> FallDuration(Func<string, string> cell, Func<PartialInfo, PartialInfo> constant, string t, string h, Func<int, string> machine)
    {
        string g = cell("g"), half = cell("one-half"), t2 = cell("t^2"), gt2 = cell("gt^2");
        yield return Spec(machine(0), BuiltInPropagators.Constant, [], [g], constant(new Interval(9.789, 9.832)));
        yield return Spec(machine(1), BuiltInPropagators.Constant, [], [half], constant(new Interval(0.5, 0.5)));
        yield return Constraint(machine(2), BuiltInPropagators.Quadratic, cell(t), t2);
        yield return Constraint(machine(3), BuiltInPropagators.Product, g, t2, gt2);
        yield return Constraint(machine(4), BuiltInPropagators.Product, half, gt2, cell(h));
    }

    /// <summary>s_ba : h_ba = s : h through a shared ratio cell.</summary>
    public static IEnumerable<PropagatorSpec> SimilarTriangles(Func<string, string> cell, string sBa, string hBa, string s, string h, Func<int, string> machine)
    {
        var ratio = cell("ratio");
        yield return Constraint(machine(5), BuiltInPropagators.Product, cell(sBa), ratio, cell(hBa));
        yield return Constraint(machine(6), BuiltInPropagators.Product, cell(s), ratio, cell(h));
    }

    public static async Task Create(PropagatorNetwork network, IEnumerable<PropagatorSpec> specs)
    {
        foreach (var spec in specs) await network.Create(spec);
    }

    private static PropagatorSpec Constraint(string machine, string implementation, params string[] cells) =>
        Spec(machine, implementation, cells, cells);

    private static PropagatorSpec Spec(string machine, string implementation, string[] inputs, string[] outputs, params PartialInfo[] arguments) =>
        new(PropagatorIds.New(machine), implementation, inputs, outputs, arguments);
}
