using System.Data.Common;
using Microsoft.Data.Sqlite;
using OrleansSync.Silo.Schema;
using OrleansSync.Silo.Sqlite;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Storage;

/// <summary>
/// SQLite storage writes through the group commit: queued writes share a transaction, each caller hears back only
/// after the commit, a failing write is rolled back alone, and AdoNet's own queries read back what they expect.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _connectionString;

    public SqliteGroupCommitTests()
    {
        _connectionString = $"Data Source={Path.Combine(_directory.Path, "store.db")}";
        SchemaInstaller.EnsureSqliteAsync(_connectionString).GetAwaiter().GetResult();
        using var connection = Open();
        Execute(connection, "CREATE TABLE Items (K INTEGER PRIMARY KEY, V TEXT NOT NULL);");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Writes_queued_behind_a_held_write_lock_commit_in_at_most_two_transactions_and_all_persist()
    {
        await using var source = new SqliteDataSource(_connectionString);
        const int count = 200;
        List<Task<DbDataReader>> writes;
        using (var blocker = Open())
        {
            Execute(blocker, "BEGIN IMMEDIATE;");
            writes = Enumerable.Range(0, count).Select(k => Insert(source, k, $"v{k}")).ToList();
            Assert.DoesNotContain(writes, write => write.IsCompleted);
            Execute(blocker, "COMMIT;");
        }

        var results = await Task.WhenAll(writes);
        for (var k = 0; k < count; k++)
        {
            Assert.True(results[k].Read());
            Assert.Equal(k, results[k].GetInt32(results[k].GetOrdinal("K")));
        }
        // The writer took what was queued when it woke (at least the first write), then waited for the lock; all
        // that queued meanwhile went into the next transaction.
        Assert.InRange(source.Writes.Transactions, 1, 2);
        Assert.Equal(count, source.Writes.Writes);
        using var check = Open();
        Assert.Equal((long)count, Scalar(check, "SELECT COUNT(*) FROM Items;"));
    }

    [Fact]
    public async Task A_failing_write_is_rolled_back_alone_and_the_rest_of_its_batch_commits()
    {
        await using var source = new SqliteDataSource(_connectionString);
        await (await Insert(source, 1, "first")).DisposeAsync();
        Task<DbDataReader> before, failing, after;
        using (var blocker = Open())
        {
            Execute(blocker, "BEGIN IMMEDIATE;");
            before = Insert(source, 2, "two");
            // Its first statement succeeds and the second violates the key: the savepoint undoes both.
            failing = Run(source, "INSERT INTO Items (K, V) VALUES (100, 'partial'); INSERT INTO Items (K, V) VALUES (1, 'duplicate');");
            after = Insert(source, 3, "three");
            Execute(blocker, "COMMIT;");
        }

        await before;
        await after;
        var error = await Assert.ThrowsAsync<SqliteException>(() => failing);
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        using var check = Open();
        Assert.Equal("1=first,2=two,3=three", Scalar(check, "SELECT group_concat(K || '=' || V, ',') FROM (SELECT * FROM Items ORDER BY K);"));
    }

    [Fact]
    public async Task Orleans_write_query_reads_back_new_versions_and_refuses_stale_ones()
    {
        await using var source = new SqliteDataSource(_connectionString);
        string writeQuery;
        using (var connection = Open())
        {
            writeQuery = (string)Scalar(connection, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey';")!;
        }

        Assert.Equal(1, await WriteState(source, writeQuery, version: null, "a"));
        Assert.Equal(2, await WriteState(source, writeQuery, version: 1, "b"));
        // A writer holding version 1 lost the race: the row keeps "b", and the version it gets back is its own, which
        // AdoNet storage reports as an InconsistentStateException.
        Assert.Equal(1, await WriteState(source, writeQuery, version: 1, "c"));
        // A first write (no version) that finds a row there gets no version back and changes nothing.
        Assert.Null(await WriteState(source, writeQuery, version: null, "d"));
        using var check = Open();
        Assert.Equal("b"u8.ToArray(), (byte[])Scalar(check, "SELECT PayloadBinary FROM OrleansStorage;")!);
        Assert.Equal(2L, Scalar(check, "SELECT Version FROM OrleansStorage;"));
        // A writer whose row was removed meanwhile (DeleteStateOnClear) gets its own version back too, and stores nothing.
        Execute(check, "DELETE FROM OrleansStorage;");
        Assert.Equal(2, await WriteState(source, writeQuery, version: 2, "e"));
        Assert.Equal(0L, Scalar(check, "SELECT count(*) FROM OrleansStorage;"));
        Assert.Equal(1, await WriteState(source, writeQuery, version: null, "f"));
    }

    [Fact]
    public async Task Concurrent_reads_of_one_query_text_each_get_the_rows_of_their_own_parameters_and_a_failed_read_harms_none()
    {
        await using var source = new SqliteDataSource(_connectionString);
        await Task.WhenAll(Enumerable.Range(1, 50).Select(async k => await (await Insert(source, k, "v" + k)).DisposeAsync()));

        // The readers keep the SELECT prepared; each caller still binds its own key.
        var reads = await Task.WhenAll(Enumerable.Range(1, 50).Select(k => Task.Run(async () =>
        {
            await using var reader = await Run(source, "SELECT V FROM Items WHERE K = @K;", ("K", k));
            return (k, Value: reader.Read() ? reader.GetString(0) : null);
        })));

        Assert.All(reads, read => Assert.Equal("v" + read.k, read.Value));
        await using var missing = await Run(source, "SELECT V FROM Items WHERE K = @K;", ("K", 99));
        Assert.False(missing.Read());
        // A read that fails gives its caller the error; the next reads are unaffected.
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => Run(source, "SELECT V FROM NoSuchTable WHERE K = @K;", ("K", 1)));
        await using var after = await Run(source, "SELECT V FROM Items WHERE K = @K;", ("K", 7));
        Assert.True(after.Read());
        Assert.Equal("v7", after.GetString(0));
        // The memory trimmer closes idle readers; the next read opens one again.
        source.ReleaseIdleConnections();
        await using var reopened = await Run(source, "SELECT V FROM Items WHERE K = @K;", ("K", 8));
        Assert.True(reopened.Read());
        Assert.Equal("v8", reopened.GetString(0));
    }

    [Fact]
    public async Task Reads_run_beside_a_held_write_lock_and_disposing_commits_what_was_queued()
    {
        var source = new SqliteDataSource(_connectionString);
        await (await Insert(source, 1, "one")).DisposeAsync();
        Task<DbDataReader> queued;
        using (var blocker = Open())
        {
            Execute(blocker, "BEGIN IMMEDIATE;");
            queued = Insert(source, 2, "two");
            Assert.Equal("one", await ReadValue(source, "SELECT V FROM Items WHERE K = 1;"));
            Assert.False(queued.IsCompleted);
            Execute(blocker, "COMMIT;");
        }

        await source.DisposeAsync();
        await queued;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Insert(source, 3, "three"));
        using var check = Open();
        Assert.Equal(2L, Scalar(check, "SELECT COUNT(*) FROM Items;"));
    }

    [Fact]
    public async Task Values_and_rows_come_through_as_Microsoft_Data_Sqlite_binds_and_reads_them()
    {
        await using var source = new SqliteDataSource(_connectionString);
        const string select = "SELECT @I AS I, @R AS R, @T AS T, @B AS B, @N AS N, @D AS D;";
        (string, object?)[] values = [("I", 7), ("R", 2.5), ("T", "tekst ü"), ("B", new byte[] { 1, 2 }), ("N", null), ("D", new DateTime(2026, 12, 7, 10, 30, 0))];
        // The date is left to Microsoft.Data.Sqlite; the same query without it runs on the prepared statements.
        foreach (var withDate in new[] { true, false })
        {
            var given = withDate ? values : [.. values[..5], ("D", "2026-12-07 10:30:00")];
            await using var ours = await Run(source, select, given);
            using var connection = Open();
            using var theirs = new SqliteCommand(select, connection);
            foreach (var (name, value) in given) theirs.Parameters.AddWithValue(name, value ?? DBNull.Value);
            using var expected = theirs.ExecuteReader();
            Assert.True(ours.Read());
            Assert.True(expected.Read());
            for (var c = 0; c < expected.FieldCount; c++)
            {
                Assert.Equal(expected.GetName(c), ours.GetName(c));
                Assert.Equal(expected.GetValue(c), ours.GetValue(c));
                Assert.Equal(expected.GetValue(c).GetType(), ours.GetValue(c).GetType());
            }
        }

        // A parameter the query names but was not given is an error, as it is there; the next query is unaffected.
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(source, "SELECT V FROM Items WHERE K = @Missing;", ("K", 1)));
        Assert.Contains("@Missing", missing.Message);
        await (await Insert(source, 4, "four")).DisposeAsync();
        Assert.Equal("four", await ReadValue(source, "SELECT V FROM Items WHERE K = 4;"));
    }

    [Theory]
    [InlineData("SELECT 1;", true)]
    [InlineData("\n    -- a comment\n    /* another */ select PayloadBinary FROM OrleansStorage WHERE 1 LIMIT 1;\n", true)]
    [InlineData("SELECT 1; DELETE FROM Items;", false)]
    [InlineData("UPDATE Items SET V = 'x';", false)]
    [InlineData("-- SELECT\nINSERT INTO Items VALUES (1, 'x');", false)]
    [InlineData("WITH x AS (SELECT 1) DELETE FROM Items;", false)]
    public void Only_a_single_select_bypasses_the_writer(string text, bool read) =>
        Assert.Equal(read, SqliteQueryKind.IsSingleSelect(text));

    private static Task<DbDataReader> Insert(SqliteDataSource source, int key, string value) =>
        Run(source, "INSERT INTO Items (K, V) VALUES (@K, @V); SELECT @K AS K;", ("K", key), ("V", value));

    private static async Task<int?> WriteState(SqliteDataSource source, string query, int? version, string payload)
    {
        await using var reader = await Run(source, query,
            ("GrainIdHash", 7), ("GrainIdN0", 0L), ("GrainIdN1", 0L), ("GrainTypeHash", 11), ("GrainTypeString", "cell"),
            ("GrainIdExtensionString", "x"), ("ServiceId", "test"), ("GrainStateVersion", version),
            ("PayloadBinary", System.Text.Encoding.UTF8.GetBytes(payload)));
        // AdoNet takes the single row of all result sets (SingleOrDefault): more than one would be an error there.
        var rows = new List<int>();
        do
        {
            while (reader.Read()) rows.Add(reader.GetInt32(reader.GetOrdinal("NewGrainStateVersion")));
        }
        while (reader.NextResult());
        Assert.True(rows.Count <= 1, $"The write query returned {rows.Count} rows.");
        return rows.Count == 0 ? null : rows[0];
    }

    private static async Task<object?> ReadValue(SqliteDataSource source, string text)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = text;
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? reader.GetValue(0) : null;
    }

    // As AdoNet storage does it: a connection from the data source, a command with parameters, ExecuteReaderAsync.
    private static async Task<DbDataReader> Run(SqliteDataSource source, string text, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteReaderAsync();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string text)
    {
        using var command = new SqliteCommand(text, connection);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string text)
    {
        using var command = new SqliteCommand(text, connection);
        return command.ExecuteScalar();
    }
}
