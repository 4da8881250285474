namespace OrleansSync.Lattice;

/// <summary>
/// A truth-maintenance content: a set of supported values, each read as "these premises imply this".
/// Merging takes the union and drops whatever another entry subsumes, so it is an exact join; the
/// strongest value combines the entries whose premises the worldview believes, so kicking a premise out
/// changes it and bringing it back in restores it.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.tms")]
public sealed class Tms : PartialInfo
{
    public static readonly Tms Empty = new([]);

    // Sorted by text so equal sets compare, hash and store the same way on every replica.
    [Id(0)] internal readonly Supported[] _entries;

    private Tms(Supported[] entries) => _entries = entries;

    /// <summary>A TMS of these entries, facts merged into one as merges do (clashing facts are kept: such a TMS is a contradiction).</summary>
    public static Tms Of(params IEnumerable<Supported> entries)
    {
        var tms = Assimilate(Empty, entries, MergeRegistry.Default);
        return CombineFacts(tms, MergeRegistry.Default) as Tms ?? tms;
    }

    public IReadOnlyList<Supported> Entries => _entries;

    public override bool IsNothing => _entries.Length == 0;

    /// <summary>
    /// Facts that clash hold in no worldview: such a TMS is the top, like any contradiction. Merges never build one
    /// (they merge facts as they come), but <see cref="Of"/> takes entries as given.
    /// </summary>
    public override bool IsContradiction
    {
        get
        {
            PartialInfo? fact = null;
            foreach (var entry in _entries)
            {
                if (entry.Support.Count > 0) continue;
                if (fact is null)
                {
                    fact = entry.Value;
                    continue;
                }
                fact = MergeRegistry.Default.Merge(fact, entry.Value);
                if (fact.IsContradiction) return true;
            }
            return false;
        }
    }

    public override IEnumerable<string> MentionedPremises => _entries.SelectMany(e => e.MentionedPremises).Distinct(StringComparer.Ordinal);

    public override PartialInfo Strongest(Worldview worldview, MergeRegistry registry)
    {
        PartialInfo result = Nothing.Instance;
        foreach (var entry in _entries)
            if (worldview.Believes(entry.Support))
                result = Supported.Combine(result, entry, registry);
        return result;
    }

    internal static void RegisterMerges(MergeRegistry registry) => registry
        .Register<Supported, Supported>((a, b, r) => Join([a], [b], r))
        .Register<Tms, Tms>((a, b, r) => Join(a._entries, b._entries, r))
        .Register<Tms, Supported>((a, s, r) => Join(a._entries, [s], r))
        .Register<Supported, Tms>((s, b, r) => Join([s], b._entries, r));
    // Plain values take part as facts (supported by no premise): the registry lifts them (MIT's behaviour).

    /// <summary>
    /// One supported value alone is itself; two or more that do not subsume each other form a TMS. Facts (values
    /// supported by no premise) hold in every worldview, so they are merged into one, exactly as plain values merge:
    /// two clashing facts are a contradiction no retraction can fix. That keeps merging plain values with supported
    /// ones associative.
    /// </summary>
    private static PartialInfo Join(IReadOnlyList<Supported> content, IEnumerable<Supported> increments, MergeRegistry registry)
    {
        var joined = CombineFacts(Assimilate(new Tms([.. content]), increments, registry), registry);
        return joined is Tms { _entries.Length: 1 } single ? single._entries[0] : joined;
    }

    /// <summary>The TMS with its facts merged into one; a contradiction when they clash.</summary>
    private static PartialInfo CombineFacts(Tms tms, MergeRegistry registry)
    {
        var facts = tms._entries.Where(e => e.Support.Count == 0).ToArray();
        if (facts.Length < 2) return tms;
        var fact = facts[0].Value;
        foreach (var other in facts.Skip(1))
        {
            var merged = registry.Merge(fact, other.Value);
            if (merged.IsContradiction) return merged as Contradiction ?? Contradiction.Between(fact, other.Value);
            fact = merged;
        }
        return Assimilate(Empty, [Supported.Fact(fact), .. tms._entries.Where(e => e.Support.Count > 0)], registry);
    }

    private static Tms Assimilate(Tms content, IEnumerable<Supported> increments, MergeRegistry registry)
    {
        var entries = content._entries.ToList();
        var changed = false;
        foreach (var candidate in increments)
        {
            if (entries.Any(e => e.Subsumes(candidate, registry))) continue;
            entries.RemoveAll(e => candidate.Subsumes(e, registry));
            entries.Add(candidate);
            changed = true;
        }
        return changed ? new Tms([.. entries.OrderBy(e => e.ToString(), StringComparer.Ordinal)]) : content;
    }

    public override bool IsEquivalentTo(PartialInfo other) =>
        base.IsEquivalentTo(other) || (_entries.Length == 1 && other is Supported s && _entries[0].Equals(s));

    public override bool Equals(object? obj) =>
        obj is Tms t && t._entries.Length == _entries.Length && _entries.All(e => t._entries.Contains(e));

    public override int GetHashCode() => _entries.Aggregate(0x746d73, (h, e) => h ^ e.GetHashCode());

    public override string ToString() => "tms{" + string.Join("; ", _entries.Select(e => e.ToString())) + "}";
}
