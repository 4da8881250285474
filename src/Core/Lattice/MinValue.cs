using System.Globalization;

namespace OrleansSync.Lattice;

/// <summary>A number that only shrinks: merge keeps the smaller (Bloom's lmin).</summary>
[GenerateSerializer, Immutable, Alias("os.min")]
public sealed class MinValue(double value) : PartialInfo
{
    [Id(0)] internal readonly double _value = value;

    public double Value => _value;

    internal static void RegisterMerges(MergeRegistry registry) =>
        registry.Register<MinValue, MinValue>((a, b, _) => b.Value < a.Value ? b : a);

    public override bool Equals(object? obj) => obj is MinValue m && m.Value.Equals(Value);

    public override int GetHashCode() => HashCode.Combine(2, Value);

    public override string ToString() => "min(" + Value.ToString("R", CultureInfo.InvariantCulture) + ")";
}
