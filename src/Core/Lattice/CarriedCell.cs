namespace OrleansSync.Lattice;

/// <summary>How a carried cell's keys are read: names (a map) or positions "0", "1", … (a list).</summary>
[GenerateSerializer, Alias("os.carried-structure")]
public enum CarriedStructure
{
    Map = 0,
    List = 1,
}

/// <summary>The cells bound to one key of a carried cell, sorted; the first is the key's canonical child.</summary>
[GenerateSerializer, Immutable, Alias("os.carried-binding")]
public sealed class CarriedBinding(string key, string[] cells)
{
    [Id(0)] internal readonly string _key = key;
    [Id(1)] internal readonly string[] _cells = cells;

    public string Key => _key;

    public string[] Cells => _cells;
}

/// <summary>
/// A carried cell's content: references to child cells by key, never their values (Radul's "carrying
/// cells"). Merge is key-wise union. A key bound to two different cells keeps both, and the cell grain
/// makes them equal from then on with identity propagators: unification with a merge delay instead of an
/// occurs check. Keeping every binding (rather than choosing one) is what makes the merge a lawful join.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.carried")]
public sealed class CarriedCell : PartialInfo, ICellReferences
{
    [Id(0)] internal readonly CarriedStructure _structure;
    [Id(1)] internal readonly CarriedBinding[] _bindings;

    private CarriedCell(CarriedStructure structure, CarriedBinding[] sortedBindings)
    {
        _structure = structure;
        _bindings = sortedBindings;
    }

    public static CarriedCell Map(params IEnumerable<KeyValuePair<string, string>> children) =>
        Of(CarriedStructure.Map, children.Select(c => (c.Key, c.Value)));

    public static CarriedCell Map(params (string Key, string Cell)[] children) => Of(CarriedStructure.Map, children);

    public static CarriedCell List(params IEnumerable<string> cells) =>
        Of(CarriedStructure.List, cells.Select((c, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), c)));

    public static CarriedCell Of(CarriedStructure structure, IEnumerable<(string Key, string Cell)> bindings)
    {
        if (!Enum.IsDefined(structure)) throw new ArgumentOutOfRangeException(nameof(structure), structure, "Unknown carried-cell structure.");
        var grouped = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (key, cell) in bindings)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (string.IsNullOrWhiteSpace(cell)) throw new ArgumentException($"Key '{key}' of a carried cell is bound to an empty cell id.");
            if (structure == CarriedStructure.List && !IsIndex(key)) throw new ArgumentException($"'{key}' is not a list position.");
            if (!grouped.TryGetValue(key, out var cells)) grouped[key] = cells = new SortedSet<string>(StringComparer.Ordinal);
            cells.Add(cell);
        }
        return new CarriedCell(structure, [.. grouped.Select(g => new CarriedBinding(g.Key, [.. g.Value]))]);
    }

    public CarriedStructure Structure => _structure;

    public override OrleansSync.Cells.CellKind? Kind => OrleansSync.Cells.CellKind.Carried;

    public IReadOnlyList<CarriedBinding> Bindings => _bindings;

    public IEnumerable<string> Keys => _bindings.Select(b => b.Key);

    /// <summary>The canonical child at <paramref name="key"/> (every cell bound there holds the same information), or null.</summary>
    public string? Child(string key)
    {
        var i = IndexOf(key);
        return i < 0 ? null : _bindings[i].Cells[0];
    }

    public IEnumerable<string> ReferencedCells => _bindings.SelectMany(b => b.Cells);

    /// <summary>The links that make every cell bound to one key equal: each other cell with the canonical one.</summary>
    public IEnumerable<(string Canonical, string Other)> Unifications =>
        _bindings.SelectMany(b => b.Cells.Skip(1).Select(other => (b.Cells[0], other)));

    internal static void RegisterMerges(MergeRegistry registry) =>
        registry.Register<CarriedCell, CarriedCell>((a, b, _) =>
            a._structure != b._structure
                ? Contradiction.Between(a, b)
                : b._bindings.All(a.Binds) ? a : Of(a._structure, a.Pairs().Concat(b.Pairs())));

    private bool Binds(CarriedBinding binding)
    {
        var i = IndexOf(binding.Key);
        return i >= 0 && binding.Cells.All(c => Array.BinarySearch(_bindings[i].Cells, c, StringComparer.Ordinal) >= 0);
    }

    private IEnumerable<(string, string)> Pairs() => _bindings.SelectMany(b => b.Cells.Select(c => (b.Key, c)));

    private int IndexOf(string key)
    {
        int lo = 0, hi = _bindings.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var c = string.CompareOrdinal(_bindings[mid].Key, key);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    private static bool IsIndex(string key) =>
        key.Length > 0 && key.All(char.IsAsciiDigit) && (key == "0" || key[0] != '0');

    public override bool Equals(object? obj) =>
        obj is CarriedCell other && other._structure == _structure && other._bindings.Length == _bindings.Length &&
        _bindings.Zip(other._bindings).All(p => p.First.Key == p.Second.Key && p.First.Cells.AsSpan().SequenceEqual(p.Second.Cells));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_structure);
        foreach (var b in _bindings)
        {
            hash.Add(b.Key, StringComparer.Ordinal);
            foreach (var c in b.Cells) hash.Add(c, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    public override string ToString() =>
        (_structure == CarriedStructure.Map ? "map{" : "list{") +
        string.Join(", ", _bindings.Select(b => $"{b.Key}: {string.Join(" = ", b.Cells)}")) + "}";
}
