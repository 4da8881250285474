namespace OrleansSync.Lattice;

/// <summary>
/// A value with the premises it rests on (Radul and Sussman's v&amp;s): "these premises imply this value".
/// </summary>
/// <remarks>
/// Merging two supported values keeps one only when it subsumes the other (at least as informative, on
/// no more premises: so the smaller support wins for an equally informative value). Otherwise both are
/// kept as a <see cref="Tms"/>. The single-valued v&amp;s merge of the paper, which unions supports,
/// is order-dependent (its "overlap anomaly") and drops justifications a later kick-out would need; here
/// it is only used to derive the strongest value (<see cref="Combine"/>), so the content merge is a join.
/// </remarks>
[GenerateSerializer, Immutable, Alias("os.supported")]
public sealed class Supported(PartialInfo value, PremiseSet support) : PartialInfo
{
    [Id(0)] internal readonly PartialInfo _value = value;
    [Id(1)] internal readonly PremiseSet _support = support;

    public PartialInfo Value => _value;

    public PremiseSet Support => _support;

    public static Supported By(PartialInfo value, params IEnumerable<string> premises) => new(value, PremiseSet.Of(premises));

    public override PartialInfo Strongest(Worldview worldview, MergeRegistry registry) =>
        worldview.Believes(Support) ? this : Nothing.Instance;

    public override IEnumerable<string> MentionedPremises => Support.Items.Concat(Value.MentionedPremises);

    /// <summary>A value that rests on no premise: how a plain value takes part in truth maintenance.</summary>
    public static Supported Fact(PartialInfo value) => new(value, PremiseSet.Empty);

    /// <summary>True when this says at least as much as <paramref name="other"/> on no more premises.</summary>
    public bool Subsumes(Supported other, MergeRegistry registry) =>
        Support.IsSubsetOf(other.Support) && registry.Merge(Value, other.Value).IsEquivalentTo(Value);

    /// <summary>
    /// What two believed supported values say together, by the paper's v&amp;s merge: the one that already
    /// says it all (the smaller support among equals), else the merged value on the union of the supports;
    /// a clash is a contradiction naming the premises behind it (a nogood).
    /// </summary>
    public static PartialInfo Combine(PartialInfo accumulated, Supported next, MergeRegistry registry)
    {
        if (accumulated is not Supported known) return accumulated.IsNothing ? next : accumulated;
        var merged = registry.Merge(known.Value, next.Value);
        if (merged.IsContradiction)
        {
            var nogood = known.Support.Union(next.Support);
            if (merged is Contradiction c) nogood = nogood.Union(c.Premises);
            return Contradiction.Between(known.Value, next.Value, nogood);
        }
        var knownHolds = merged.IsEquivalentTo(known.Value);
        var nextHolds = merged.IsEquivalentTo(next.Value);
        if (knownHolds && nextHolds) return next.Support.CompareTo(known.Support) < 0 ? next : known;
        if (knownHolds) return known;
        if (nextHolds) return next;
        return new Supported(merged, known.Support.Union(next.Support));
    }

    public override bool IsEquivalentTo(PartialInfo other) =>
        Equals(other) || other is Tms { Entries.Count: 1 } t && Equals(t.Entries[0]);

    public override bool Equals(object? obj) => obj is Supported s && s.Value.Equals(Value) && s.Support.Equals(Support);

    public override int GetHashCode() => HashCode.Combine(Value, Support);

    public override string ToString() => $"{Value} @ {Support}";
}
