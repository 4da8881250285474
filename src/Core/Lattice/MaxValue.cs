using System.Globalization;

namespace OrleansSync.Lattice;

/// <summary>A number that only grows: merge keeps the larger (a sync-friendly lattice, like Bloom's lmax).</summary>
[GenerateSerializer, Immutable, Alias("os.max")]
public sealed class MaxValue(double value) : PartialInfo
{
    [Id(0)] internal readonly double _value = value;

    public double Value => _value;

    internal static void RegisterMerges(MergeRegistry registry) =>
        registry.Register<MaxValue, MaxValue>((a, b, _) => b.Value > a.Value ? b : a);

    public override bool Equals(object? obj) => obj is MaxValue m && m.Value.Equals(Value);

    public override int GetHashCode() => HashCode.Combine(1, Value);

    public override string ToString() => "max(" + Value.ToString("R", CultureInfo.InvariantCulture) + ")";
}
