namespace OrleansSync.Lattice;

/// <summary>
/// A value with the premises it rests on (Radul and Sussman's v&amp;s). Merging merges the values;
/// for equally informative values the smaller support is kept, so provenance stays as tight as possible.
/// </summary>
/// <remarks>
/// Like the original, a single supported value is order-dependent in its support (the "overlap
/// anomaly"): two merge orders can justify the same value by different premise sets. The value is
/// the same either way, which is what <see cref="IsEquivalentTo"/> compares; the TMS (<see cref="Tms"/>)
/// keeps every justification and is an exact join.
/// </remarks>
[GenerateSerializer, Immutable, Alias("os.supported")]
public sealed class Supported(PartialInfo value, PremiseSet support) : PartialInfo
{
    [Id(0)] public PartialInfo Value { get; } = value;

    [Id(1)] public PremiseSet Support { get; } = support;

    public static Supported By(PartialInfo value, params IEnumerable<string> premises) => new(value, PremiseSet.Of(premises));

    public override PartialInfo Strongest(Worldview worldview, MergeRegistry registry) =>
        worldview.Believes(Support) ? this : Nothing.Instance;

    /// <summary>True when this says at least as much as <paramref name="other"/> on no more premises.</summary>
    public bool Subsumes(Supported other, MergeRegistry registry) =>
        Support.IsSubsetOf(other.Support) && registry.Merge(Value, other.Value).Equals(Value);

    internal static void RegisterMerges(MergeRegistry registry) => registry
        .Register<Supported, Supported>(Merge)
        .RegisterWithAny<Supported>(
            (s, other, r) => Merge(s, new Supported(other, PremiseSet.Empty), r),
            (other, s, r) => Merge(new Supported(other, PremiseSet.Empty), s, r));

    private static PartialInfo Merge(Supported content, Supported increment, MergeRegistry registry)
    {
        var merged = registry.Merge(content.Value, increment.Value);
        if (merged.IsContradiction)
        {
            var premises = content.Support.Union(increment.Support);
            if (merged is Contradiction c) premises = premises.Union(c.Premises);
            return new Contradiction($"{content.Value} != {increment.Value}", premises);
        }
        var contentHolds = merged.Equals(content.Value);
        var incrementHolds = merged.Equals(increment.Value);
        if (contentHolds && incrementHolds)
            return increment.Support.CompareTo(content.Support) < 0 ? increment : content;
        if (contentHolds) return content;
        if (incrementHolds) return increment;
        return new Supported(merged, content.Support.Union(increment.Support));
    }

    public override bool IsEquivalentTo(PartialInfo other) => other is Supported s && Value.IsEquivalentTo(s.Value);

    public override bool Equals(object? obj) => obj is Supported s && s.Value.Equals(Value) && s.Support.Equals(Support);

    public override int GetHashCode() => HashCode.Combine(Value, Support);

    public override string ToString() => $"{Value} @ {Support}";
}
