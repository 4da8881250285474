using System.Collections;
using System.Data.Common;
using System.Globalization;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// A write's result sets, read out in full inside the group transaction so the caller can read them after the commit,
/// when the connection has moved on to other writes.
/// </summary>
public sealed class BufferedDataReader : DbDataReader
{
    private readonly IReadOnlyList<ResultSet> _sets;
    private readonly int _recordsAffected;
    private int _set;
    private int _row = -1;
    private bool _closed;

    private BufferedDataReader(IReadOnlyList<ResultSet> sets, int recordsAffected)
    {
        _sets = sets;
        _recordsAffected = recordsAffected;
    }

    /// <summary>Result sets already read out (by <see cref="SqliteStatements"/>); null for none.</summary>
    internal static BufferedDataReader Of(IReadOnlyList<ResultSet>? sets, int recordsAffected) => new(sets ?? [], recordsAffected);

    /// <summary>Reads every row of every result set of <paramref name="reader"/>.</summary>
    public static BufferedDataReader ReadAll(DbDataReader reader)
    {
        var sets = new List<ResultSet>();
        do
        {
            if (reader.FieldCount == 0) continue;
            var names = new string[reader.FieldCount];
            for (var i = 0; i < names.Length; i++) names[i] = reader.GetName(i);
            var rows = new List<object[]>();
            while (reader.Read())
            {
                var row = new object[names.Length];
                reader.GetValues(row);
                rows.Add(row);
            }
            sets.Add(new ResultSet(names, rows));
        }
        while (reader.NextResult());
        return new BufferedDataReader(sets, reader.RecordsAffected);
    }

    private ResultSet? Current => _set < _sets.Count ? _sets[_set] : null;

    private object[] Row => Current is { } set && _row >= 0 && _row < set.Rows.Count
        ? set.Rows[_row]
        : throw new InvalidOperationException("No current row.");

    public override int FieldCount => Current?.Names.Length ?? 0;

    public override bool HasRows => Current is { Rows.Count: > 0 };

    public override bool IsClosed => _closed;

    public override int RecordsAffected => _recordsAffected;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => Current is { } set && ++_row < set.Rows.Count;

    public override bool NextResult()
    {
        _row = -1;
        return ++_set < _sets.Count;
    }

    public override void Close() => _closed = true;

    public override string GetName(int ordinal) => Current!.Names[ordinal];

    public override int GetOrdinal(string name)
    {
        var names = Current?.Names ?? [];
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        throw new IndexOutOfRangeException($"No column named '{name}'.");
    }

    public override object GetValue(int ordinal) => Row[ordinal];

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        Array.Copy(Row, values, count);
        return count;
    }

    public override bool IsDBNull(int ordinal) => Row[ordinal] is DBNull;

    public override Type GetFieldType(int ordinal) =>
        Current!.Rows.Select(row => row[ordinal]).FirstOrDefault(value => value is not DBNull)?.GetType() ?? typeof(object);

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override T GetFieldValue<T>(int ordinal) => (T)Convert.ChangeType(Row[ordinal], Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);

    public override bool GetBoolean(int ordinal) => Convert.ToBoolean(Row[ordinal], CultureInfo.InvariantCulture);

    public override byte GetByte(int ordinal) => Convert.ToByte(Row[ordinal], CultureInfo.InvariantCulture);

    public override char GetChar(int ordinal) => Convert.ToChar(Row[ordinal], CultureInfo.InvariantCulture);

    public override DateTime GetDateTime(int ordinal) => Convert.ToDateTime(Row[ordinal], CultureInfo.InvariantCulture);

    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(Row[ordinal], CultureInfo.InvariantCulture);

    public override double GetDouble(int ordinal) => Convert.ToDouble(Row[ordinal], CultureInfo.InvariantCulture);

    public override float GetFloat(int ordinal) => Convert.ToSingle(Row[ordinal], CultureInfo.InvariantCulture);

    public override Guid GetGuid(int ordinal) => Row[ordinal] is Guid guid ? guid : Guid.Parse(GetString(ordinal));

    public override short GetInt16(int ordinal) => Convert.ToInt16(Row[ordinal], CultureInfo.InvariantCulture);

    public override int GetInt32(int ordinal) => Convert.ToInt32(Row[ordinal], CultureInfo.InvariantCulture);

    public override long GetInt64(int ordinal) => Convert.ToInt64(Row[ordinal], CultureInfo.InvariantCulture);

    public override string GetString(int ordinal) => Convert.ToString(Row[ordinal], CultureInfo.InvariantCulture) ?? "";

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        Copy((byte[])Row[ordinal], dataOffset, buffer, bufferOffset, length);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        Copy(GetString(ordinal).ToCharArray(), dataOffset, buffer, bufferOffset, length);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    private static long Copy<T>(T[] source, long dataOffset, T[]? buffer, int bufferOffset, int length)
    {
        if (buffer is null) return source.Length;
        var count = (int)Math.Max(0, Math.Min(length, source.Length - dataOffset));
        Array.Copy(source, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    internal sealed record ResultSet(string[] Names, List<object[]> Rows);
}
