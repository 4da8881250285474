using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Silo.Schema;

/// <summary>
/// Creates or repairs the tables and <c>OrleansQuery</c> rows the AdoNet providers use. The scripts are
/// idempotent and run on every start, so a new database needs no manual step and an old one gets the
/// query texts this build expects.
/// </summary>
public static class SchemaInstaller
{
    // Any fixed number: it only has to be the same for every silo sharing the database.
    private const long PostgresLockKey = 0x4f534e43;

    public static async Task EnsureAsync(SiloSettings settings, CancellationToken cancellationToken = default)
    {
        switch (settings.Storage)
        {
            case StorageKind.Sqlite:
                Directory.CreateDirectory(Path.GetFullPath(settings.DataDirectory));
                await EnsureSqliteAsync(settings.SqliteConnectionString, cancellationToken);
                break;
            case StorageKind.Postgres:
                await EnsurePostgresAsync(settings.StorageConnectionString, cancellationToken);
                break;
        }
    }

    public static async Task EnsureSqliteAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL lets readers run beside the writer; it is a property of the file, so setting it once is enough.
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, Script("Sqlite"), cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task EnsurePostgresAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Silos starting together would race on CREATE ... IF NOT EXISTS; one at a time applies the script.
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({PostgresLockKey});", cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, Script("PostgreSQL"), cancellationToken, transaction);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({PostgresLockKey});", CancellationToken.None);
        }
    }

    public static string Script(string name)
    {
        var resource = $"OrleansSync.Schema.{name}.sql";
        using var stream = typeof(SchemaInstaller).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Schema script {resource} is not embedded in the silo assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
