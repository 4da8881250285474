namespace OrleansSync.Lattice;

/// <summary>An immutable set of premise names, kept sorted so equal sets compare and store identically.</summary>
[GenerateSerializer, Immutable, Alias("os.premises")]
public sealed class PremiseSet : IEquatable<PremiseSet>
{
    public static readonly PremiseSet Empty = new([]);

    [Id(0)] internal readonly string[] _items;

    private PremiseSet(string[] sortedDistinct) => _items = sortedDistinct;

    public static PremiseSet Of(params IEnumerable<string> premises)
    {
        var items = premises.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return items.Length == 0 ? Empty : new PremiseSet(items);
    }

    public IReadOnlyList<string> Items => _items;

    public int Count => _items.Length;

    public bool Contains(string premise) => Array.BinarySearch(_items, premise, StringComparer.Ordinal) >= 0;

    public bool IsSubsetOf(PremiseSet other) => _items.All(other.Contains);

    public PremiseSet Union(PremiseSet other) =>
        other.Count == 0 ? this : Count == 0 ? other : IsSubsetOf(other) ? other : other.IsSubsetOf(this) ? this : Of(_items.Concat(other._items));

    /// <summary>A total order (size, then ordinal) used to break ties deterministically.</summary>
    public int CompareTo(PremiseSet other)
    {
        var bySize = Count.CompareTo(other.Count);
        if (bySize != 0) return bySize;
        for (var i = 0; i < _items.Length; i++)
        {
            var c = string.CompareOrdinal(_items[i], other._items[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    public bool Equals(PremiseSet? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as PremiseSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _items) + "}";
}
