namespace OrleansSync.Lattice;

/// <summary>
/// A truth-maintenance content: a set of supported values, read as "these premises imply this".
/// Merging assimilates (drops whatever another entry subsumes); the strongest value is the merge of
/// the entries whose premises the worldview believes, so kicking a premise out changes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.tms")]
public sealed class Tms : PartialInfo
{
    public static readonly Tms Empty = new([]);

    // Sorted by text so equal sets compare, hash and store the same way on every replica.
    [Id(0)] private readonly Supported[] _entries;

    private Tms(Supported[] entries) => _entries = entries;

    public static Tms Of(params IEnumerable<Supported> entries) =>
        Assimilate(Empty, entries, MergeRegistry.Default);

    public IReadOnlyList<Supported> Entries => _entries;

    public override bool IsNothing => _entries.Length == 0;

    public override PartialInfo Strongest(Worldview worldview, MergeRegistry registry)
    {
        PartialInfo result = Nothing.Instance;
        foreach (var entry in _entries)
            if (worldview.Believes(entry.Support))
                result = registry.Merge(result, entry);
        return result;
    }

    internal static void RegisterMerges(MergeRegistry registry) => registry
        .Register<Tms, Tms>((a, b, r) => Assimilate(a, b._entries, r))
        .Register<Tms, Supported>((a, s, r) => Assimilate(a, [s], r))
        .Register<Supported, Tms>((s, b, r) => Assimilate(Of(s), b._entries, r))
        .RegisterWithAny<Tms>(
            (a, other, r) => Assimilate(a, [new Supported(other, PremiseSet.Empty)], r),
            (other, b, r) => Assimilate(Of(new Supported(other, PremiseSet.Empty)), b._entries, r));

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

    public override bool Equals(object? obj) =>
        obj is Tms t && t._entries.Length == _entries.Length && _entries.All(e => t._entries.Contains(e));

    public override int GetHashCode() => _entries.Aggregate(0x746d73, (h, e) => h ^ e.GetHashCode());

    public override string ToString() => "tms{" + string.Join("; ", _entries.Select(e => e.ToString())) + "}";
}
