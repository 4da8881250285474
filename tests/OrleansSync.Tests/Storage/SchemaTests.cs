using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansSync.Silo.Schema;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Storage;

/// <summary>The project's schema setup gives the AdoNet providers what they query, and is safe to re-run.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaTests(PostgresFixture postgres)
{
    private static readonly string[] StorageKeys = ["ClearStorageKey", "ReadFromStorageKey", "WriteToStorageKey"];

    private static readonly string[] ClusteringKeys =
    [
        "CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
    ];

    [Fact]
    public async Task Sqlite_schema_is_created_and_re_applied_idempotently()
    {
        using var directory = new TempDirectory();
        var connectionString = $"Data Source={Path.Combine(directory.Path, "schema.db")};Pooling=False";
        await SchemaInstaller.EnsureSqliteAsync(connectionString);
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var stale = new SqliteCommand("UPDATE OrleansQuery SET QueryText = 'stale' WHERE QueryKey = 'ReadFromStorageKey'", connection);
            await stale.ExecuteNonQueryAsync();
        }
        await SchemaInstaller.EnsureSqliteAsync(connectionString);

        await using var check = new SqliteConnection(connectionString);
        await check.OpenAsync();
        var keys = await ReadQueries(new SqliteCommand("SELECT QueryKey, QueryText FROM OrleansQuery", check));
        Assert.Superset(StorageKeys.ToHashSet(), keys.Keys.ToHashSet());
        Assert.DoesNotContain(keys.Values, text => text == "stale");
        await using var table = new SqliteCommand("SELECT COUNT(*) FROM OrleansStorage", check);
        Assert.Equal(0L, (long)(await table.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Postgres_schema_is_created_by_concurrent_silos_and_re_applied_idempotently()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("schema");
        // Silos starting together must not trip over each other's CREATE statements.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SchemaInstaller.EnsurePostgresAsync(connectionString)));
        await SchemaInstaller.EnsurePostgresAsync(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var keys = await ReadQueries(new NpgsqlCommand("SELECT querykey, querytext FROM orleansquery", connection));
        Assert.Superset(StorageKeys.Concat(ClusteringKeys).ToHashSet(), keys.Keys.ToHashSet());
        foreach (var table in new[] { "orleansstorage", "orleansmembershiptable", "orleansmembershipversiontable" })
        {
            await using var exists = new NpgsqlCommand($"SELECT to_regclass('{table}') IS NOT NULL", connection);
            Assert.True((bool)(await exists.ExecuteScalarAsync())!, $"table {table} is missing");
        }
    }

    private static async Task<Dictionary<string, string>> ReadQueries(System.Data.Common.DbCommand command)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var queries = new Dictionary<string, string>();
            while (await reader.ReadAsync()) queries[reader.GetString(0)] = reader.GetString(1);
            return queries;
        }
    }
}
