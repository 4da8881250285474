using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// One query text prepared once on a connection, statement by statement, and run with SQLite's own API. Through
/// Microsoft.Data.Sqlite every run looked up each parameter's name in each statement again (as UTF-8 made anew), made a
/// binder object per parameter and a record and name table per statement: a fifth of the group commit thread's time
/// and an eighth of what a Gun put allocated. Here each statement's parameters are matched to the query's by name once
/// per parameter list, values are bound by position, and rows are read out as Microsoft.Data.Sqlite reads them
/// (INTEGER as long, REAL as double, TEXT as string, BLOB as byte[], NULL as DBNull).
/// </summary>
internal sealed class SqliteStatements : IDisposable
{
    private const uint PreparePersistent = 0x01;

    private readonly sqlite3 _db;
    private readonly Statement[] _statements;
    // The parameter names the positions below were matched for (null before the first run), and per statement, the
    // query parameter at each of its indexes.
    private string[]? _names;
    private int[][] _positions = [];
    // UTF-8 of a text value being bound (SQLite copies it).
    private byte[] _utf8 = new byte[256];

    private SqliteStatements(sqlite3 db, Statement[] statements)
    {
        _db = db;
        _statements = statements;
    }

    /// <summary>Prepares every statement of <paramref name="text"/> on <paramref name="db"/>.</summary>
    public static SqliteStatements Prepare(sqlite3 db, string text)
    {
        var statements = new List<Statement>();
        try
        {
            ReadOnlySpan<byte> sql = Encoding.UTF8.GetBytes(text);
            while (!sql.IsEmpty)
            {
                var rc = raw.sqlite3_prepare_v3(db, sql, PreparePersistent, out var handle, out var tail);
                if (rc != raw.SQLITE_OK)
                {
                    handle?.Dispose();
                    SqliteException.ThrowExceptionForRC(rc, db);
                }
                // Only white space or a comment was left.
                if (handle is null || handle.IsInvalid) handle?.Dispose();
                else statements.Add(new Statement(handle));
                if (tail.Length >= sql.Length) break;
                sql = tail;
            }
        }
        catch
        {
            foreach (var statement in statements) statement.Handle.Dispose();
            throw;
        }
        return new SqliteStatements(db, [.. statements]);
    }

    /// <summary>
    /// Whether every value can be bound here as Microsoft.Data.Sqlite would bind it: null, text, a blob or a number, not
    /// cut short by a size, read-only. Anything else (dates, GUIDs, enums, output parameters) runs through
    /// Microsoft.Data.Sqlite, which knows its conventions.
    /// </summary>
    public static bool CanBind(IReadOnlyList<StorageParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.Direction != System.Data.ParameterDirection.Input) return false;
            var size = parameter.Size;
            var fits = parameter.Value switch
            {
                null or DBNull or long or int or short or byte or bool or double or float => true,
                string text => size <= 0 || text.Length <= size,
                byte[] bytes => size <= 0 || bytes.Length <= size,
                _ => false,
            };
            if (!fits) return false;
        }
        return true;
    }

    /// <summary>Runs every statement with <paramref name="parameters"/> (see <see cref="CanBind"/>) and returns their result sets.</summary>
    public BufferedDataReader Run(IReadOnlyList<StorageParameter> parameters)
    {
        var positions = PositionsFor(parameters);
        List<BufferedDataReader.ResultSet>? sets = null;
        var recordsAffected = -1;
        for (var s = 0; s < _statements.Length; s++)
        {
            var statement = _statements[s];
            var handle = statement.Handle;
            try
            {
                Bind(handle, positions[s], parameters);
                List<object[]>? rows = statement.Columns is null ? null : [];
                int rc;
                while ((rc = raw.sqlite3_step(handle)) == raw.SQLITE_ROW)
                    rows?.Add(ReadRow(handle, statement.Columns!.Length));
                if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
                if (rows is not null) (sets ??= []).Add(new BufferedDataReader.ResultSet(statement.Columns!, rows));
                // As Microsoft.Data.Sqlite counts: every statement without columns, and those with columns that write.
                if (statement.Columns is null || !statement.ReadOnly)
                    recordsAffected = Math.Max(recordsAffected, 0) + raw.sqlite3_changes(_db);
            }
            finally
            {
                raw.sqlite3_reset(handle);
            }
        }
        return BufferedDataReader.Of(sets, recordsAffected);
    }

    private void Bind(sqlite3_stmt handle, int[] positions, IReadOnlyList<StorageParameter> parameters)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            var index = i + 1;
            var rc = parameters[positions[i]].Value switch
            {
                null or DBNull => raw.sqlite3_bind_null(handle, index),
                string text => raw.sqlite3_bind_text(handle, index, Utf8(text)),
                byte[] bytes => raw.sqlite3_bind_blob(handle, index, bytes),
                long number => raw.sqlite3_bind_int64(handle, index, number),
                int number => raw.sqlite3_bind_int64(handle, index, number),
                short number => raw.sqlite3_bind_int64(handle, index, number),
                byte number => raw.sqlite3_bind_int64(handle, index, number),
                bool flag => raw.sqlite3_bind_int64(handle, index, flag ? 1 : 0),
                double number => raw.sqlite3_bind_double(handle, index, number),
                float number => raw.sqlite3_bind_double(handle, index, number),
                var other => throw new ArgumentException($"Cannot bind a {other.GetType().Name} here (CanBind was not asked).", nameof(parameters)),
            };
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private ReadOnlySpan<byte> Utf8(string text)
    {
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (most > _utf8.Length) _utf8 = new byte[Math.Max(most, 2 * _utf8.Length)];
        return _utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, _utf8));
    }

    private static object[] ReadRow(sqlite3_stmt handle, int columns)
    {
        var row = new object[columns];
        for (var c = 0; c < columns; c++)
        {
            row[c] = raw.sqlite3_column_type(handle, c) switch
            {
                raw.SQLITE_INTEGER => raw.sqlite3_column_int64(handle, c),
                raw.SQLITE_FLOAT => raw.sqlite3_column_double(handle, c),
                raw.SQLITE_TEXT => raw.sqlite3_column_text(handle, c).utf8_to_string(),
                raw.SQLITE_BLOB => raw.sqlite3_column_blob(handle, c).ToArray(),
                _ => DBNull.Value,
            };
        }
        return row;
    }

    /// <summary>Per statement, which query parameter goes to each of its parameters; matched by name once per list of names.</summary>
    private int[][] PositionsFor(IReadOnlyList<StorageParameter> parameters)
    {
        if (SameNames(parameters)) return _positions;
        var names = new string[parameters.Count];
        for (var p = 0; p < names.Length; p++) names[p] = parameters[p].ParameterName;
        var positions = new int[_statements.Length][];
        for (var s = 0; s < _statements.Length; s++)
        {
            var wanted = _statements[s].Parameters;
            positions[s] = new int[wanted.Length];
            for (var i = 0; i < wanted.Length; i++)
            {
                var position = Array.FindIndex(names, name => Matches(name, wanted[i]));
                if (position < 0) throw new InvalidOperationException($"Must add values for the following parameters: {wanted[i]}");
                positions[s][i] = position;
            }
        }
        _names = names;
        _positions = positions;
        return positions;
    }

    private bool SameNames(IReadOnlyList<StorageParameter> parameters)
    {
        if (_names is null || parameters.Count != _names.Length) return false;
        for (var p = 0; p < _names.Length; p++)
            if (!string.Equals(parameters[p].ParameterName, _names[p], StringComparison.Ordinal)) return false;
        return true;
    }

    // As Microsoft.Data.Sqlite matches: a name as written in the statement ("@K"), or bare ("K") for any of its prefixes.
    private static bool Matches(string given, string inStatement) =>
        string.Equals(given, inStatement, StringComparison.Ordinal)
        || (inStatement.Length == given.Length + 1 && inStatement[0] is '@' or '$' or ':' && inStatement.AsSpan(1).SequenceEqual(given));

    public void Dispose()
    {
        foreach (var statement in _statements) statement.Handle.Dispose();
    }

    private sealed class Statement
    {
        public Statement(sqlite3_stmt handle)
        {
            Handle = handle;
            var parameters = raw.sqlite3_bind_parameter_count(handle);
            Parameters = new string[parameters];
            for (var i = 0; i < parameters; i++)
                Parameters[i] = raw.sqlite3_bind_parameter_name(handle, i + 1).utf8_to_string()
                    ?? throw new NotSupportedException("Storage queries name their parameters; '?' has no name to bind by.");
            var columns = raw.sqlite3_column_count(handle);
            if (columns > 0)
            {
                Columns = new string[columns];
                for (var c = 0; c < columns; c++) Columns[c] = raw.sqlite3_column_name(handle, c).utf8_to_string();
            }
            ReadOnly = raw.sqlite3_stmt_readonly(handle) != 0;
        }

        public sqlite3_stmt Handle { get; }

        /// <summary>Its parameters' names as written ("@K"), by index less one.</summary>
        public string[] Parameters { get; }

        /// <summary>Its result columns; null for a statement that returns no rows.</summary>
        public string[]? Columns { get; }

        public bool ReadOnly { get; }
    }
}
