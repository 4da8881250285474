namespace OrleansSync.Lattice;

/// <summary>
/// Signed interval arithmetic (all four bound products, as MIT's core/intervals.scm does; the paper's
/// version assumes positive bounds). Division by an interval that spans zero yields nothing.
/// </summary>
public static class IntervalArithmetic
{
    public static Interval Add(Interval a, Interval b) => new(a.Lo + b.Lo, a.Hi + b.Hi);

    public static Interval Subtract(Interval a, Interval b) => new(a.Lo - b.Hi, a.Hi - b.Lo);

    public static Interval Multiply(Interval a, Interval b)
    {
        double p1 = a.Lo * b.Lo, p2 = a.Lo * b.Hi, p3 = a.Hi * b.Lo, p4 = a.Hi * b.Hi;
        return new Interval(Math.Min(Math.Min(p1, p2), Math.Min(p3, p4)), Math.Max(Math.Max(p1, p2), Math.Max(p3, p4)));
    }

    public static PartialInfo Divide(Interval a, Interval b) =>
        b.ContainsZero ? Nothing.Instance : Multiply(a, new Interval(1 / b.Hi, 1 / b.Lo));

    /// <summary>Numbers take part as degenerate intervals.</summary>
    public static Interval? AsInterval(PartialInfo value) => value switch
    {
        Interval i => i,
        NumberValue n when !double.IsNaN(n.Value) => Interval.Point(n.Value),
        _ => null,
    };
}
