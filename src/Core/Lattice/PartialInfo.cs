using OrleansSync.Cells;

namespace OrleansSync.Lattice;

/// <summary>
/// A piece of partial information about a value: what a cell accumulates. Instances are immutable;
/// merging is done by a <see cref="MergeRegistry"/> so new kinds plug in without editing this file.
/// </summary>
[GenerateSerializer, Alias("os.partial")]
public abstract class PartialInfo
{
    /// <summary>True when this information is inconsistent (the lattice top).</summary>
    public virtual bool IsContradiction => false;

    /// <summary>True when this carries no information (the lattice bottom).</summary>
    public virtual bool IsNothing => false;

    /// <summary>
    /// The most informative value this content supports under <paramref name="worldview"/>. Plain
    /// information is its own strongest value; truth-maintained and clocked contents fold their parts.
    /// </summary>
    public virtual PartialInfo Strongest(Worldview worldview, MergeRegistry registry) => this;

    /// <summary>
    /// The premises this content's information rests on: a cell holding it must know their beliefs to derive its
    /// strongest value. Plain information rests on none.
    /// </summary>
    public virtual IEnumerable<string> MentionedPremises => [];

    /// <summary>What a cell holding this content is, when the content says so (carried cells, closures); null leaves it as described.</summary>
    public virtual CellKind? Kind => null;

    /// <summary>
    /// Equality up to the lattice's equivalence: everything that knows nothing is the bottom, all
    /// contradictions are the top, and a one-entry TMS is its supported value.
    /// </summary>
    public virtual bool IsEquivalentTo(PartialInfo other) =>
        Equals(other) || (IsNothing && other.IsNothing) || (IsContradiction && other.IsContradiction);

    public abstract override bool Equals(object? obj);

    public abstract override int GetHashCode();
}
