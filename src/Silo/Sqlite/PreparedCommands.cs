using Microsoft.Data.Sqlite;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// One connection with a prepared command per query text. AdoNet brings a new command for every query, so on a
/// fresh command SQLite would parse and plan the same text each time; here each text is prepared once, and every
/// query runs on that command with its own parameter values. Beyond a handful of texts a query runs on a command of
/// its own, so the cache cannot grow unchecked.
/// </summary>
internal sealed class PreparedCommands(SqliteConnection connection, int maxTexts) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>Runs <paramref name="query"/> (text and parameters) here and returns all its result sets.</summary>
    public BufferedDataReader Execute(SqliteCommand query, SqliteTransaction? transaction = null)
    {
        if (_commands.TryGetValue(query.CommandText, out var command)) return Run(command, query, transaction);
        if (_commands.Count >= maxTexts)
        {
            using var once = Create(query.CommandText);
            return Run(once, query, transaction);
        }
        command = Create(query.CommandText);
        _commands.Add(query.CommandText, command);
        return Run(command, query, transaction);
    }

    /// <summary>Runs <paramref name="text"/>, a statement without parameters or rows (a savepoint), on its prepared command.</summary>
    public void ExecuteNonQuery(string text, SqliteTransaction transaction)
    {
        if (!_commands.TryGetValue(text, out var command)) _commands.Add(text, command = Create(text));
        command.Transaction = transaction;
        command.Parameters.Clear();
        command.ExecuteNonQuery();
    }

    private SqliteCommand Create(string text)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        return command;
    }

    private static BufferedDataReader Run(SqliteCommand command, SqliteCommand query, SqliteTransaction? transaction)
    {
        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (SqliteParameter parameter in query.Parameters)
        {
            // AdoNet names parameters without the '@' its queries use; given the bare name, Microsoft.Data.Sqlite looks
            // each up in every statement once as given and then once per prefix.
            var name = parameter.ParameterName is ['@' or '$' or ':', ..] ? parameter.ParameterName : "@" + parameter.ParameterName;
            command.Parameters.Add(new SqliteParameter(name, parameter.Value ?? DBNull.Value)
            {
                SqliteType = parameter.SqliteType,
                Size = parameter.Size,
            });
        }
        using var rows = command.ExecuteReader();
        return BufferedDataReader.ReadAll(rows);
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
        connection.Dispose();
    }
}
