using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// The functions built-in propagators compute, lifted over partial information: numbers, intervals (a
/// number meeting an interval acts as a point interval), supported values, whose supports are united
/// in the result, as Radul and Sussman's v&amp;s arithmetic does, and clocked values, whose clocks are
/// joined (a result is as fresh as what it was computed from). A TMS is never seen here: propagators
/// read strongest values, and a TMS's strongest value is a supported value. <see cref="Nothing"/> means
/// "no conclusion" (for example division by an interval that spans zero).
/// </summary>
public static class PropagatorFunctions
{
    public static PartialInfo Add(PartialInfo a, PartialInfo b) => Numeric(a, b, (x, y) => x + y, IntervalArithmetic.Add);

    public static PartialInfo Subtract(PartialInfo a, PartialInfo b) => Numeric(a, b, (x, y) => x - y, IntervalArithmetic.Subtract);

    public static PartialInfo Multiply(PartialInfo a, PartialInfo b) => Numeric(a, b, (x, y) => x * y, IntervalArithmetic.Multiply);

    public static PartialInfo Divide(PartialInfo a, PartialInfo b) => Lift(a, b, (x, y) => (x, y) switch
    {
        (NumberValue n, NumberValue d) => d.Value == 0 ? Nothing.Instance : new NumberValue(n.Value / d.Value),
        _ when IntervalArithmetic.AsInterval(x) is { } i && IntervalArithmetic.AsInterval(y) is { } j => IntervalArithmetic.Divide(i, j),
        _ => Nothing.Instance,
    });

    public static PartialInfo Negate(PartialInfo a) => Lift(a, x => x switch
    {
        NumberValue n => new NumberValue(-n.Value),
        Interval i => new Interval(-i.Hi, -i.Lo),
        _ => Nothing.Instance,
    });

    public static PartialInfo Abs(PartialInfo a) => Lift(a, x => x switch
    {
        NumberValue n => new NumberValue(Math.Abs(n.Value)),
        Interval i when i.Lo >= 0 => i,
        Interval i when i.Hi <= 0 => new Interval(-i.Hi, -i.Lo),
        Interval i => new Interval(0, Math.Max(-i.Lo, i.Hi)),
        _ => Nothing.Instance,
    });

    public static PartialInfo Square(PartialInfo a) => Lift(a, x => x switch
    {
        NumberValue n => new NumberValue(n.Value * n.Value),
        Interval i when i.Lo >= 0 => new Interval(i.Lo * i.Lo, i.Hi * i.Hi),
        Interval i when i.Hi <= 0 => new Interval(i.Hi * i.Hi, i.Lo * i.Lo),
        Interval i => new Interval(0, Math.Max(i.Lo * i.Lo, i.Hi * i.Hi)),
        _ => Nothing.Instance,
    });

    /// <summary>The non-negative root, as MIT's sqrter; a negative argument gives no conclusion.</summary>
    public static PartialInfo Sqrt(PartialInfo a) => Lift(a, x => x switch
    {
        NumberValue n when n.Value >= 0 => new NumberValue(Math.Sqrt(n.Value)),
        Interval i when i.Lo >= 0 => new Interval(Math.Sqrt(i.Lo), Math.Sqrt(i.Hi)),
        _ => Nothing.Instance,
    });

    /// <summary>True or false when the arguments decide it (intervals only when they do not overlap), else nothing.</summary>
    public static PartialInfo LessThan(PartialInfo a, PartialInfo b) => Lift(a, b, Less);

    public static PartialInfo GreaterThan(PartialInfo a, PartialInfo b) => LessThan(b, a);

    public static PartialInfo Equal(PartialInfo a, PartialInfo b) => Lift(a, b, (x, y) =>
    {
        if (IntervalArithmetic.AsInterval(x) is { } i && IntervalArithmetic.AsInterval(y) is { } j)
        {
            if (i.Hi < j.Lo || j.Hi < i.Lo) return BoolValue.False;
            return i.Lo == i.Hi && j.Lo == j.Hi ? BoolValue.True : Nothing.Instance;
        }
        return x.GetType() == y.GetType() ? x.Equals(y) ? BoolValue.True : BoolValue.False : Nothing.Instance;
    });

    public static PartialInfo Not(PartialInfo a) => Lift(a, x => x is BoolValue b ? (b.Value ? BoolValue.False : BoolValue.True) : Nothing.Instance);

    public static PartialInfo And(PartialInfo a, PartialInfo b) =>
        Lift(a, b, (x, y) => x is BoolValue p && y is BoolValue q ? (p.Value && q.Value ? BoolValue.True : BoolValue.False) : Nothing.Instance);

    public static PartialInfo Or(PartialInfo a, PartialInfo b) =>
        Lift(a, b, (x, y) => x is BoolValue p && y is BoolValue q ? (p.Value || q.Value ? BoolValue.True : BoolValue.False) : Nothing.Instance);

    /// <summary>
    /// Passes <paramref name="value"/> on when <paramref name="control"/> is true, with the control's
    /// support added (the value is only known to hold under the premises that opened the switch).
    /// </summary>
    public static PartialInfo Switch(PartialInfo control, PartialInfo value) =>
        Lift(control, value, (c, v) => c is BoolValue { Value: true } ? v : Nothing.Instance);

    /// <summary>if <paramref name="control"/> then <paramref name="consequent"/> else <paramref name="alternative"/>.</summary>
    public static PartialInfo Conditional(PartialInfo control, PartialInfo consequent, PartialInfo alternative)
    {
        var c = Unwrap(control);
        if (c.Value is not BoolValue b) return Nothing.Instance;
        var chosen = b.Value ? consequent : alternative;
        if (chosen.IsNothing) return Nothing.Instance;
        var v = Unwrap(chosen);
        return Wrap(v.Value, c, v);
    }

    private static PartialInfo Numeric(PartialInfo a, PartialInfo b, Func<double, double, double> onNumbers, Func<Interval, Interval, PartialInfo> onIntervals) =>
        Lift(a, b, (x, y) => (x, y) switch
        {
            (NumberValue n, NumberValue m) => new NumberValue(onNumbers(n.Value, m.Value)),
            _ when IntervalArithmetic.AsInterval(x) is { } i && IntervalArithmetic.AsInterval(y) is { } j => onIntervals(i, j),
            _ => Nothing.Instance,
        });

    /// <summary>x &lt; y when every value of x is below every value of y, not when none is; otherwise undecided.</summary>
    private static PartialInfo Less(PartialInfo x, PartialInfo y)
    {
        if (IntervalArithmetic.AsInterval(x) is not { } i || IntervalArithmetic.AsInterval(y) is not { } j) return Nothing.Instance;
        if (i.Hi < j.Lo) return BoolValue.True;
        if (i.Lo >= j.Hi) return BoolValue.False;
        return Nothing.Instance;
    }

    private static PartialInfo Lift(PartialInfo a, Func<PartialInfo, PartialInfo> f)
    {
        var x = Unwrap(a);
        return Wrap(f(x.Value), x, Layers.None);
    }

    private static PartialInfo Lift(PartialInfo a, PartialInfo b, Func<PartialInfo, PartialInfo, PartialInfo> f)
    {
        var x = Unwrap(a);
        var y = Unwrap(b);
        return Wrap(f(x.Value, y.Value), x, y);
    }

    /// <summary>The base value and what was layered around it: a clock (outermost) and a support.</summary>
    private readonly record struct Layers(PartialInfo Value, PremiseSet? Support, VectorClock? Clock)
    {
        public static readonly Layers None = new(Nothing.Instance, null, null);
    }

    private static Layers Unwrap(PartialInfo info)
    {
        VectorClock? clock = null;
        if (info is ClockedValues { Entries.Count: 1 } clocked)
        {
            clock = clocked.Entries[0].Clock;
            info = clocked.Entries[0].Value;
        }
        return info is Supported s ? new Layers(s.Value, s.Support, clock) : new Layers(info, null, clock);
    }

    private static PartialInfo Wrap(PartialInfo result, Layers a, Layers b)
    {
        if (result.IsNothing) return result;
        if (a.Support is not null || b.Support is not null)
            result = new Supported(result, (a.Support ?? PremiseSet.Empty).Union(b.Support ?? PremiseSet.Empty));
        if (a.Clock is not null || b.Clock is not null)
            result = ClockedValues.Of(new ClockedEntry((a.Clock ?? VectorClock.Empty).Join(b.Clock ?? VectorClock.Empty), result));
        return result;
    }
}
