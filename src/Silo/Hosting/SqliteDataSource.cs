using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// The SQLite connections Orleans' AdoNet storage uses, with SQLite's own busy handler switched on. Microsoft.Data.Sqlite
/// leaves it off and, when a write finds the database locked by another writer, retries after sleeping 150 ms; with
/// many grains writing at once (every write is its own transaction), most waits became 150 ms. With the handler, SQLite
/// retries within the lock's own timing (from a millisecond up), up to the same 30 s.
/// </summary>
public sealed class SqliteDataSource(string connectionString) : DbDataSource
{
    private const int BusyTimeoutMilliseconds = 30_000;

    public override string ConnectionString => connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = CreateDbConnection();
        try
        {
            connection.Open();
            using var command = BusyTimeout(connection);
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateDbConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = BusyTimeout(connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static DbCommand BusyTimeout(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
        return command;
    }
}
