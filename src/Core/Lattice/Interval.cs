using System.Globalization;

namespace OrleansSync.Lattice;

/// <summary>
/// A closed numeric interval [Lo, Hi]: "the value lies in here". Merging intersects; an empty
/// intersection is a contradiction; a number inside an interval is more informative and wins.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.interval")]
public sealed class Interval : PartialInfo
{
    [Id(0)] internal readonly double _lo;
    [Id(1)] internal readonly double _hi;

    public double Lo => _lo;

    public double Hi => _hi;

    public Interval(double lo, double hi)
    {
        if (double.IsNaN(lo) || double.IsNaN(hi) || lo > hi)
            throw new ArgumentException($"An interval needs lo <= hi, got [{lo}, {hi}].");
        _lo = lo;
        _hi = hi;
    }

    public static Interval Point(double x) => new(x, x);

    public bool Contains(double x) => Lo <= x && x <= Hi;

    public bool ContainsZero => Contains(0);

    /// <summary>The intersection, or a contradiction when the intervals do not overlap.</summary>
    public PartialInfo Intersect(Interval other)
    {
        var lo = Math.Max(Lo, other.Lo);
        var hi = Math.Min(Hi, other.Hi);
        return lo <= hi ? new Interval(lo, hi) : Contradiction.Between(this, other);
    }

    internal static void RegisterMerges(MergeRegistry registry) => registry
        .Register<Interval, Interval>((a, b, _) => a.Intersect(b))
        .Register<NumberValue, Interval>((n, i, _) => i.Contains(n.Value) ? n : Contradiction.Between(n, i))
        .Register<Interval, NumberValue>((i, n, _) => i.Contains(n.Value) ? n : Contradiction.Between(i, n));

    public override bool Equals(object? obj) => obj is Interval i && i.Lo.Equals(Lo) && i.Hi.Equals(Hi);

    public override int GetHashCode() => HashCode.Combine(Lo, Hi);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{Lo:R}, {Hi:R}]");
}
