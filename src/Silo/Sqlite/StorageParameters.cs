using System.Collections;
using System.Data.Common;

namespace OrleansSync.Silo.Sqlite;

/// <summary>The parameters of an AdoNet storage query, in the order they were added.</summary>
internal sealed class StorageParameters : DbParameterCollection, IReadOnlyList<StorageParameter>
{
    // AdoNet's storage queries take seven to nine: one array instead of three grown in turn.
    private readonly List<StorageParameter> _items = new(12);

    public override int Count => _items.Count;

    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    StorageParameter IReadOnlyList<StorageParameter>.this[int index] => _items[index];

    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    public override void AddRange(Array values)
    {
        foreach (var value in values) Add(value);
    }

    public override void Clear() => _items.Clear();

    public override bool Contains(object value) => value is StorageParameter parameter && _items.Contains(parameter);

    public override bool Contains(string value) => IndexOf(value) >= 0;

    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    public override IEnumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<StorageParameter> IEnumerable<StorageParameter>.GetEnumerator() => _items.GetEnumerator();

    public override int IndexOf(object value) => value is StorageParameter parameter ? _items.IndexOf(parameter) : -1;

    public override int IndexOf(string parameterName) => _items.FindIndex(p => string.Equals(p.ParameterName, parameterName, StringComparison.Ordinal));

    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));

    public override void Remove(object value) => _items.Remove(Cast(value));

    public override void RemoveAt(int index) => _items.RemoveAt(index);

    public override void RemoveAt(string parameterName) => _items.RemoveAt(Found(parameterName));

    protected override DbParameter GetParameter(int index) => _items[index];

    protected override DbParameter GetParameter(string parameterName) => _items[Found(parameterName)];

    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);

    protected override void SetParameter(string parameterName, DbParameter value) => _items[Found(parameterName)] = Cast(value);

    private int Found(string parameterName)
    {
        var index = IndexOf(parameterName);
        return index >= 0 ? index : throw new IndexOutOfRangeException($"No parameter named '{parameterName}'.");
    }

    private static StorageParameter Cast(object value) =>
        value as StorageParameter ?? throw new InvalidCastException($"Storage queries take parameters made by their own command, not a {value.GetType().Name}.");
}
