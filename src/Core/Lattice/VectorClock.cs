namespace OrleansSync.Lattice;

/// <summary>A vector clock: for each source, how many of its writes this one has seen.</summary>
[GenerateSerializer, Immutable, Alias("os.vclock")]
public sealed class VectorClock : IEquatable<VectorClock>
{
    public static readonly VectorClock Empty = new([]);

    // Sorted by source, no zero counters, so equal clocks are equal arrays.
    [Id(0)] internal readonly KeyValuePair<string, long>[] _counters;

    private VectorClock(KeyValuePair<string, long>[] sorted) => _counters = sorted;

    public static VectorClock Of(params IEnumerable<KeyValuePair<string, long>> counters) =>
        new([.. counters.Where(c => c.Value > 0)
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, g.Max(c => c.Value)))
            .OrderBy(c => c.Key, StringComparer.Ordinal)]);

    public IReadOnlyList<KeyValuePair<string, long>> Counters => _counters;

    public long this[string source] => _counters.FirstOrDefault(c => c.Key == source).Value;

    /// <summary>The pointwise maximum: a clock that has seen everything both have.</summary>
    public VectorClock Join(VectorClock other) => Of(_counters.Concat(other._counters));

    /// <summary>This clock advanced by one write from <paramref name="source"/>.</summary>
    public VectorClock Tick(string source) =>
        Of(_counters.Where(c => c.Key != source).Append(KeyValuePair.Create(source, this[source] + 1)));

    /// <summary>True when <paramref name="other"/> has seen everything this has and more.</summary>
    public bool IsDominatedBy(VectorClock other) =>
        !Equals(other) && _counters.All(c => other[c.Key] >= c.Value);

    public bool Equals(VectorClock? other) => other is not null && _counters.AsSpan().SequenceEqual(other._counters);

    public override bool Equals(object? obj) => Equals(obj as VectorClock);

    public override int GetHashCode() => _counters.Aggregate(17, (h, c) => HashCode.Combine(h, c.Key, c.Value));

    public override string ToString() => "<" + string.Join(",", _counters.Select(c => $"{c.Key}:{c.Value}")) + ">";
}
