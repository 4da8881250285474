using Microsoft.Data.Sqlite;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// One connection with each query text prepared once (<see cref="SqliteStatements"/>). AdoNet brings a new command for
/// every query, so on a fresh command SQLite would parse and plan the same text each time; here every query runs on
/// its text's prepared statements with its own parameter values. Beyond a handful of texts a query is prepared for
/// itself alone, so the cache cannot grow unchecked.
/// </summary>
internal sealed class PreparedCommands(SqliteConnection connection, int maxTexts) : IDisposable
{
    private readonly Dictionary<string, SqliteStatements> _texts = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>
    /// Runs <paramref name="text"/> with <paramref name="parameters"/> here, inside <paramref name="transaction"/> when
    /// one is open on the connection, and returns all its result sets.
    /// </summary>
    public BufferedDataReader Execute(string text, IReadOnlyList<StorageParameter> parameters, SqliteTransaction? transaction = null)
    {
        if (!SqliteStatements.CanBind(parameters)) return ThroughMicrosoftDataSqlite(text, parameters, transaction);
        if (_texts.TryGetValue(text, out var statements)) return statements.Run(parameters);
        if (_texts.Count >= maxTexts)
        {
            using var once = SqliteStatements.Prepare(connection.Handle!, text);
            return once.Run(parameters);
        }
        statements = SqliteStatements.Prepare(connection.Handle!, text);
        _texts.Add(text, statements);
        return statements.Run(parameters);
    }

    /// <summary>Runs <paramref name="text"/>, a statement without parameters or rows (a savepoint), on its prepared statement.</summary>
    public void ExecuteNonQuery(string text) => Execute(text, []);

    // Values SqliteStatements leaves to Microsoft.Data.Sqlite's conventions (dates, GUIDs, ...): rare, so unprepared.
    private BufferedDataReader ThroughMicrosoftDataSqlite(string text, IReadOnlyList<StorageParameter> parameters, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.CommandText = text;
        command.Transaction = transaction;
        foreach (var given in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = given.ParameterName;
            parameter.DbType = given.DbType;
            parameter.Direction = given.Direction;
            // Zero is "not given" for a DbParameter, but a size Microsoft.Data.Sqlite would cut values to.
            if (given.Size > 0) parameter.Size = given.Size;
            parameter.Value = given.Value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        using var rows = command.ExecuteReader();
        return BufferedDataReader.ReadAll(rows);
    }

    public void Dispose()
    {
        // Statements first: a connection closes only once its statements are finalized.
        foreach (var statements in _texts.Values) statements.Dispose();
        _texts.Clear();
        connection.Dispose();
    }
}
