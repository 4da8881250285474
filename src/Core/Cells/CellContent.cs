using OrleansSync.Lattice;

namespace OrleansSync.Cells;

/// <summary>
/// One cell's information and the rules that change it, the same for the in-process scheduler and the cell grain:
/// merge an increment (lattice join), follow the beliefs of the premises the content mentions, derive the strongest
/// value, and say what the change asks of the host (<see cref="CellUpdate"/>). Not thread-safe: the host serialises.
/// </summary>
public sealed class CellContent
{
    private readonly MergeRegistry _registry;
    private readonly Dictionary<string, Belief> _beliefs = new(StringComparer.Ordinal);
    private Worldview _worldview = Worldview.AllIn;
    private Contradiction? _reported;

    public CellContent(MergeRegistry registry, PartialInfo? content = null, IEnumerable<KeyValuePair<string, Belief>>? beliefs = null)
    {
        _registry = registry;
        Content = content ?? Nothing.Instance;
        foreach (var (premise, belief) in beliefs ?? []) _beliefs[premise] = belief;
        foreach (var premise in Content.MentionedPremises) _beliefs.TryAdd(premise, Belief.Unknown);
        _worldview = WorldviewOf(_beliefs);
        Strongest = Content.Strongest(_worldview, _registry);
        // A contradiction stored before a restart was reported then (or is by the next change).
        _reported = Strongest as Contradiction;
    }

    public PartialInfo Content { get; private set; }

    public PartialInfo Strongest { get; private set; }

    /// <summary>The links the content asks for; a host sends them again after a restart (a crash may have come between storing and linking).</summary>
    public IEnumerable<(string Canonical, string Other)> Unifications => Content is ICellReferences r ? r.Unifications : [];

    /// <summary>
    /// Premises <paramref name="increment"/> mentions that this cell has no belief for yet. A host learns them
    /// (<see cref="Believe"/>) before merging, so the strongest value is never derived from a wrong assumption.
    /// </summary>
    public IReadOnlyList<string> Unknown(PartialInfo increment)
    {
        List<string>? unknown = null;
        foreach (var premise in increment.MentionedPremises)
            if (!_beliefs.TryGetValue(premise, out var belief) || belief.Version < 0) (unknown ??= []).Add(premise);
        return unknown ?? (IReadOnlyList<string>)[];
    }

    public CellUpdate Merge(PartialInfo increment)
    {
        ArgumentNullException.ThrowIfNull(increment);
        var before = Content;
        var merged = _registry.Merge(before, increment);
        if (ReferenceEquals(merged, before)) return CellUpdate.Unchanged(Strongest);
        Content = merged;
        List<string>? added = null;
        foreach (var premise in merged.MentionedPremises)
            if (_beliefs.TryAdd(premise, Belief.Unknown)) (added ??= []).Add(premise);
        if (added is not null) _worldview = WorldviewOf(_beliefs);
        var links = NewUnifications(merged, before);
        return Settle(contentChanged: true, links, added, merged.Kind);
    }

    /// <summary>A premise's belief changed (or was learned). Only a newer version counts.</summary>
    public CellUpdate Believe(string premise, Belief belief)
    {
        if (_beliefs.TryGetValue(premise, out var known) && known.Version >= belief.Version) return CellUpdate.Unchanged(Strongest);
        var mentioned = _beliefs.ContainsKey(premise);
        _beliefs[premise] = belief;
        if (known.In == belief.In && mentioned) return CellUpdate.Unchanged(Strongest);
        _worldview = WorldviewOf(_beliefs);
        return Settle(contentChanged: false, null, null, null);
    }

    private CellUpdate Settle(bool contentChanged, IReadOnlyList<(string, string)>? links, IReadOnlyList<string>? added, CellKind? kind)
    {
        var previous = Strongest;
        Strongest = Content.Strongest(_worldview, _registry);
        var strongestChanged = !Strongest.Equals(previous);
        Contradiction? nogood = null;
        var resolved = false;
        if (Strongest is Contradiction contradiction)
        {
            if (!contradiction.Equals(_reported)) nogood = _reported = contradiction;
        }
        else if (_reported is not null)
        {
            _reported = null;
            resolved = true;
        }
        if (!contentChanged && !strongestChanged && nogood is null && !resolved) return CellUpdate.Unchanged(Strongest);
        return new CellUpdate(contentChanged, strongestChanged, Strongest, links, added, nogood, resolved, kind);
    }

    private static IReadOnlyList<(string, string)>? NewUnifications(PartialInfo merged, PartialInfo before)
    {
        if (merged is not ICellReferences references) return null;
        var known = before is ICellReferences old ? old.Unifications.ToHashSet() : [];
        List<(string, string)>? links = null;
        foreach (var link in references.Unifications)
            if (!known.Contains(link)) (links ??= []).Add(link);
        return links;
    }

    private static Worldview WorldviewOf(Dictionary<string, Belief> beliefs)
    {
        List<string>? kickedOut = null;
        foreach (var (premise, belief) in beliefs)
            if (!belief.In) (kickedOut ??= []).Add(premise);
        return kickedOut is null ? Worldview.AllIn : new Worldview(PremiseSet.Of(kickedOut));
    }
}
