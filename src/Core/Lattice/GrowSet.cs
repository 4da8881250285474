namespace OrleansSync.Lattice;

/// <summary>A grow-only set of strings: merge is union (the G-Set CRDT, Bloom's lset).</summary>
[GenerateSerializer, Immutable, Alias("os.gset")]
public sealed class GrowSet : PartialInfo
{
    [Id(0)] internal readonly string[] _items;

    private GrowSet(string[] sortedDistinct) => _items = sortedDistinct;

    public static GrowSet Of(params IEnumerable<string> items) =>
        new(items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());

    public IReadOnlyList<string> Items => _items;

    internal static void RegisterMerges(MergeRegistry registry) =>
        registry.Register<GrowSet, GrowSet>((a, b, _) => b._items.All(a.Contains) ? a : Of(a._items.Concat(b._items)));

    public bool Contains(string item) => Array.BinarySearch(_items, item, StringComparer.Ordinal) >= 0;

    public override bool Equals(object? obj) => obj is GrowSet g && g._items.AsSpan().SequenceEqual(_items);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    public override string ToString() => "gset{" + string.Join(", ", _items) + "}";
}
