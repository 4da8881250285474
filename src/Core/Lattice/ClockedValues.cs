namespace OrleansSync.Lattice;

/// <summary>One write of a value that changes over time, stamped with the writer's vector clock.</summary>
[GenerateSerializer, Immutable, Alias("os.clocked-entry")]
public sealed class ClockedEntry(VectorClock clock, PartialInfo value) : IEquatable<ClockedEntry>
{
    [Id(0)] internal readonly VectorClock _clock = clock;
    [Id(1)] internal readonly PartialInfo _value = value;

    public VectorClock Clock => _clock;

    public PartialInfo Value => _value;

    public bool Equals(ClockedEntry? other) => other is not null && other._clock.Equals(_clock) && other._value.Equals(_value);

    public override bool Equals(object? obj) => Equals(obj as ClockedEntry);

    public override int GetHashCode() => HashCode.Combine(_clock, _value);

    public override string ToString() => $"{Value}{Clock}";
}

/// <summary>
/// Values that change over time (the seed's layered values with vector clocks). A write whose clock
/// dominates another's replaces it, so an input can be edited (celsius 0, later 100) without a
/// contradiction; concurrent writes are all kept and the strongest value merges their values.
/// The merge is the union of the writes minus the dominated ones: a lawful join.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.clocked")]
public sealed class ClockedValues : PartialInfo
{
    public static readonly ClockedValues Empty = new([]);

    [Id(0)] internal readonly ClockedEntry[] _entries;

    private ClockedValues(ClockedEntry[] entries) => _entries = entries;

    public static ClockedValues Of(params IEnumerable<ClockedEntry> entries) => Join(Empty, entries);

    /// <summary>
    /// A write from <paramref name="source"/> that supersedes everything in <paramref name="current"/>:
    /// its clock is the join of all clocks seen, ticked for the source.
    /// </summary>
    public static ClockedValues Edit(PartialInfo current, string source, PartialInfo value)
    {
        var seen = current is ClockedValues c ? c.Clock : VectorClock.Empty;
        return Of(new ClockedEntry(seen.Tick(source), value));
    }

    public IReadOnlyList<ClockedEntry> Entries => _entries;

    public override IEnumerable<string> MentionedPremises => _entries.SelectMany(e => e.Value.MentionedPremises).Distinct(StringComparer.Ordinal);

    /// <summary>The join of every entry's clock.</summary>
    public VectorClock Clock => _entries.Aggregate(VectorClock.Empty, (clock, e) => clock.Join(e.Clock));

    public override bool IsNothing => _entries.Length == 0;

    /// <summary>
    /// The current writes' values merged, still stamped with the join of their clocks, so a propagator's
    /// result carries the clock of what it was computed from and a later edit of an input supersedes it.
    /// </summary>
    public override PartialInfo Strongest(Worldview worldview, MergeRegistry registry)
    {
        var value = _entries.Aggregate((PartialInfo)Nothing.Instance, (acc, e) => registry.Merge(acc, e.Value)).Strongest(worldview, registry);
        if (value.IsNothing || value.IsContradiction) return value;
        return _entries.Length == 1 && ReferenceEquals(value, _entries[0].Value) ? this : Of(new ClockedEntry(Clock, value));
    }

    internal static void RegisterMerges(MergeRegistry registry) => registry
        .Register<ClockedValues, ClockedValues>((a, b, _) => Join(a, b._entries));
    // No rule for plain values: an unstamped value has no place in the history, so mixing is a contradiction.

    private static ClockedValues Join(ClockedValues content, IEnumerable<ClockedEntry> increments)
    {
        var all = content._entries.Concat(increments).Distinct().ToList();
        var kept = all.Where(e => !all.Any(o => e.Clock.IsDominatedBy(o.Clock))).ToArray();
        if (kept.Length == content._entries.Length && kept.All(content._entries.Contains)) return content;
        return new ClockedValues([.. kept.OrderBy(e => e.ToString(), StringComparer.Ordinal)]);
    }

    public override bool Equals(object? obj) =>
        obj is ClockedValues c && c._entries.Length == _entries.Length && _entries.All(e => c._entries.Contains(e));

    public override int GetHashCode() => _entries.Aggregate(0x636c6b, (h, e) => h ^ e.GetHashCode());

    public override string ToString() => "clocked{" + string.Join("; ", _entries.Select(e => e.ToString())) + "}";
}
