namespace OrleansSync.Lattice;

/// <summary>
/// Inconsistent information. It absorbs everything merged into it, is stored like any other content,
/// and records the premises that caused it (a nogood) when they are known.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.contradiction")]
public sealed class Contradiction(string reason, PremiseSet premises) : PartialInfo
{
    [Id(0)] internal readonly string _reason = reason;
    [Id(1)] internal readonly PremiseSet _premises = premises;

    public string Reason => _reason;

    public PremiseSet Premises => _premises;

    public override bool IsContradiction => true;

    public static Contradiction Between(PartialInfo content, PartialInfo increment, PremiseSet? premises = null) =>
        new($"{content} != {increment}", premises ?? PremiseSet.Empty);

    /// <summary>Every contradiction is the same top element of the lattice.</summary>
    public override bool IsEquivalentTo(PartialInfo other) => other.IsContradiction;

    public override bool Equals(object? obj) =>
        obj is Contradiction c && c.Reason == Reason && c.Premises.Equals(Premises);

    public override int GetHashCode() => HashCode.Combine(Reason, Premises);

    public override string ToString() => Premises.Count == 0 ? $"contradiction({Reason})" : $"contradiction({Reason} @ {Premises})";
}
