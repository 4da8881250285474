using CsCheck;
using OrleansSync.Lattice;
using OrleansSync.Propagation;
using Xunit;
using F = OrleansSync.Propagation.PropagatorFunctions;

namespace OrleansSync.Tests.Propagation;

/// <summary>
/// Built-in propagators must be monotone: more information in gives at least as much information out
/// (or no conclusion). Checked on intervals, where "more information" is a narrower interval.
/// </summary>
public sealed class PropagatorFunctionTests
{
    private static readonly MergeRegistry Registry = MergeRegistry.Default;

    private static readonly Gen<(Interval Wide, Interval Narrow)> Nested =
        from a in Gen.Double[-100, 100]
        from b in Gen.Double[-100, 100]
        from t in Gen.Double[0, 1]
        from u in Gen.Double[0, 1]
        let lo = Math.Min(a, b)
        let hi = Math.Max(a, b)
        // Clamped: lo + (hi - lo) can round past hi.
        let x = Math.Clamp(lo + (hi - lo) * Math.Min(t, u), lo, hi)
        let y = Math.Clamp(lo + (hi - lo) * Math.Max(t, u), lo, hi)
        select (new Interval(lo, hi), new Interval(x, y));

    private static bool Refines(PartialInfo wide, PartialInfo narrow) =>
        narrow.IsNothing || wide.IsNothing || Registry.Merge(wide, narrow).IsEquivalentTo(narrow) || Close(wide, narrow);

    // Rounding may put a bound of the narrow result a few ulps outside the wide one.
    private static bool Close(PartialInfo wide, PartialInfo narrow) =>
        wide is Interval w && narrow is Interval n && n.Lo >= w.Lo - 1e-9 * Math.Max(1, Math.Abs(w.Lo)) && n.Hi <= w.Hi + 1e-9 * Math.Max(1, Math.Abs(w.Hi));

    public static TheoryData<string> Binary => [BuiltInPropagators.Add, BuiltInPropagators.Subtract, BuiltInPropagators.Multiply, BuiltInPropagators.Divide];

    [Theory, MemberData(nameof(Binary))]
    public void Binary_arithmetic_is_monotone(string name)
    {
        Func<PartialInfo, PartialInfo, PartialInfo> f = name switch
        {
            BuiltInPropagators.Add => F.Add,
            BuiltInPropagators.Subtract => F.Subtract,
            BuiltInPropagators.Multiply => F.Multiply,
            _ => F.Divide,
        };
        Gen.Select(Nested, Nested).Sample(p => Refines(f(p.Item1.Wide, p.Item2.Wide), f(p.Item1.Narrow, p.Item2.Narrow)), iter: 5_000);
    }

    [Fact]
    public void Unary_arithmetic_is_monotone() =>
        Nested.Sample(p => new Func<PartialInfo, PartialInfo>[] { F.Square, F.Sqrt, F.Abs, F.Negate }
            .All(f => Refines(f(p.Wide), f(p.Narrow))), iter: 5_000);

    [Fact]
    public void Supports_are_united_and_plain_values_add_none()
    {
        var sum = F.Add(Supported.By(new NumberValue(1), "a"), Supported.By(new Interval(2, 3), "b"));
        Assert.Equal(Supported.By(new Interval(3, 4), "a", "b"), sum);
        Assert.Equal(Supported.By(new NumberValue(5), "a"), F.Add(Supported.By(new NumberValue(1), "a"), new NumberValue(4)));
        Assert.Equal(Nothing.Instance, F.Divide(Supported.By(new NumberValue(1), "a"), new Interval(-1, 1)));
        Assert.Equal(Nothing.Instance, F.Switch(BoolValue.False, new NumberValue(3)));
    }
}
