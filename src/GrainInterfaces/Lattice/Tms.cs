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
    [Id(0)] private readonly Supported[] _entries;

    private Tms(Supported[] entries) => _entries = entries;

    public static Tms Of(params IEnumerable<Supported> entries) => Assimilate(Empty, entries, MergeRegistry.Default);

    public IReadOnlyList<Supported> Entries => _entries;

    public override bool IsNothing => _entries.Length == 0;

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
    // Plain values get no rule: mixed with supported ones they would bypass the clash check between plain
    // values and break associativity. An unconditional fact in a TMS cell is a value supported by no premises.

    /// <summary>One supported value alone is itself; two or more that do not subsume each other form a TMS.</summary>
    private static PartialInfo Join(IReadOnlyList<Supported> content, IEnumerable<Supported> increments, MergeRegistry registry)
    {
        var joined = Assimilate(new Tms([.. content]), increments, registry);
        return joined._entries.Length == 1 ? joined._entries[0] : joined;
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
