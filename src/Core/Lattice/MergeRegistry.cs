namespace OrleansSync.Lattice;

/// <summary>
/// Merge dispatched on the pair (content type, increment type), like MIT's <c>defhandler merge</c>.
/// New partial-information types plug in by registering handlers; the core rules live here:
/// nothing is the identity, a contradiction absorbs, equal information is unchanged, and any other
/// pair without a handler is a contradiction.
/// </summary>
/// <remarks>
/// The registry guarantees the merge contract of Radul and Sussman: when the increment adds nothing,
/// the <em>identical</em> content object comes back (so a cell knows not to notify anyone), and when
/// the increment supersedes the content, the identical increment comes back.
/// Register handlers at start-up, before merging concurrently: lookups are not synchronised.
/// </remarks>
public sealed class MergeRegistry
{
    private delegate PartialInfo Handler(PartialInfo content, PartialInfo increment, MergeRegistry registry);

    private readonly Dictionary<(Type Content, Type Increment), Handler> _pairs = [];

    /// <summary>A registry holding every built-in type.</summary>
    public static MergeRegistry Default { get; } = CreateDefault();

    public static MergeRegistry CreateDefault()
    {
        var registry = new MergeRegistry();
        Interval.RegisterMerges(registry);
        MaxValue.RegisterMerges(registry);
        MinValue.RegisterMerges(registry);
        GrowSet.RegisterMerges(registry);
        Tms.RegisterMerges(registry);
        ClockedValues.RegisterMerges(registry);
        CarriedCell.RegisterMerges(registry);
        Closure.RegisterMerges(registry);
        return registry;
    }

    public MergeRegistry Register<TContent, TIncrement>(Func<TContent, TIncrement, MergeRegistry, PartialInfo> handler)
        where TContent : PartialInfo where TIncrement : PartialInfo
    {
        _pairs[(typeof(TContent), typeof(TIncrement))] = (c, i, r) => handler((TContent)c, (TIncrement)i, r);
        return this;
    }

    public PartialInfo Merge(PartialInfo content, PartialInfo increment)
    {
        if (ReferenceEquals(content, increment) || increment.IsNothing || content.IsContradiction) return content;
        if (content.IsNothing || increment.IsContradiction) return increment;

        var merged = _pairs.TryGetValue((content.GetType(), increment.GetType()), out var handler) ? handler(content, increment, this)
            : IsTruthMaintained(content) && IsPlain(increment) ? Merge(content, Supported.Fact(increment))
            : IsPlain(content) && IsTruthMaintained(increment) ? Merge(Supported.Fact(content), increment)
            : content.Equals(increment) ? content : Contradiction.Between(content, increment);

        if (merged.IsEquivalentTo(content)) return content;
        if (merged.IsEquivalentTo(increment)) return increment;
        return merged;
    }

    // A plain value beside supported values is a fact: supported by no premise (MIT's rule), so a network may mix
    // constants with measurements, and a plain tell that clashes with a search's choice is a nogood the search can use.
    private static bool IsTruthMaintained(PartialInfo value) => value is Supported or Tms;

    private static bool IsPlain(PartialInfo value) => value is not (Supported or Tms or ClockedValues or ICellReferences);
}
