using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// What AdoNet storage holds while it runs one query: a factory for <see cref="SqliteStorageCommand"/>. It never opens
/// the SQLite connection it derives from (AdoNet requires the invariant's connection type); a command takes a pooled
/// connection for a read or hands a write to the group commit.
/// </summary>
internal sealed class SqliteStorageConnection(SqliteDataSource source) : SqliteConnection(source.ConnectionString)
{
    private ConnectionState _state = ConnectionState.Closed;

    public override ConnectionState State => _state;

    public override void Open() => _state = ConnectionState.Open;

    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        Open();
        return Task.CompletedTask;
    }

    public override void Close() => _state = ConnectionState.Closed;

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        throw new NotSupportedException("Storage writes run in the group commit's transactions; callers cannot open their own.");

    protected override DbCommand CreateDbCommand() => new SqliteStorageCommand(source) { Connection = this };
}
