using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// The connections Orleans' AdoNet storage gets for SQLite. Reads run on connections of their own
/// (<see cref="SqliteReaders"/>), in parallel (WAL lets readers run beside the writer); every write goes to
/// <see cref="SqliteGroupCommit"/>, which runs the writes queued meanwhile in one transaction. AdoNet stores one grain
/// per call, so without this each acknowledged write cost its own commit, and concurrent writers queued on SQLite's
/// single write lock.
/// </summary>
public sealed class SqliteDataSource : DbDataSource
{
    // SQLite's own busy handler: Microsoft.Data.Sqlite leaves it off and retries a locked database after sleeping
    // 150 ms; the handler retries within the lock's own timing, up to the same 30 s. Other processes and other silos
    // on the same file still share its write lock.
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;

    public SqliteDataSource(string connectionString)
    {
        _connectionString = connectionString;
        Writes = new SqliteGroupCommit(OpenSqliteConnection);
        Reads = new SqliteReaders(OpenSqliteConnection);
    }

    public override string ConnectionString => _connectionString;

    /// <summary>The single writer behind every storage write of this data source.</summary>
    public SqliteGroupCommit Writes { get; }

    /// <summary>The connections grain reads run on.</summary>
    internal SqliteReaders Reads { get; }

    protected override DbConnection CreateDbConnection() => new SqliteStorageConnection(this);

    /// <summary>Closes the idle reader connections (each holds a page cache), as the memory trimmer does with pools.</summary>
    public void ReleaseIdleConnections() => Reads.ReleaseIdle();

    /// <summary>A connection of its own with the busy handler on, for the writer or a reader.</summary>
    internal SqliteConnection OpenSqliteConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Writes.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Reads.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await Writes.DisposeAsync();
        Reads.Dispose();
        await base.DisposeAsyncCore();
    }
}
