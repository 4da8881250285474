using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// One AdoNet storage query. A single SELECT runs at once on a reader connection; anything else is a write and
/// joins the group commit, and its results reach the caller only once the transaction holding it has committed.
/// </summary>
internal sealed class SqliteStorageCommand(SqliteDataSource source) : DbCommand
{
    // The text and parameters only: the query runs on whichever connection executes it.
    private readonly StorageParameters _parameters = [];

    [AllowNull]
    public override string CommandText { get; set; } = "";

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text) throw new NotSupportedException("SQLite runs command text only.");
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection { get; set; }

    protected override DbParameterCollection DbParameterCollection => _parameters;

    protected override DbTransaction? DbTransaction
    {
        get => null;
        set
        {
            if (value is not null) throw new NotSupportedException("Storage writes run in the group commit's transactions.");
        }
    }

    public override void Cancel()
    {
        // A queued write cannot be taken back without breaking the batch it belongs to; reads finish in microseconds.
    }

    public override void Prepare()
    {
    }

    protected override DbParameter CreateDbParameter() => new StorageParameter();

    public override int ExecuteNonQuery()
    {
        using var reader = ExecuteDbDataReader(CommandBehavior.Default);
        while (reader.NextResult())
        {
        }
        return reader.RecordsAffected;
    }

    public override object? ExecuteScalar()
    {
        using var reader = ExecuteDbDataReader(CommandBehavior.Default);
        return reader.Read() ? reader.GetValue(0) : null;
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
        ExecuteDbDataReaderAsync(behavior, CancellationToken.None).GetAwaiter().GetResult();

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        if (!SqliteQueryKind.IsSingleSelect(CommandText)) return await source.Writes.Execute(CommandText, _parameters, cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        return source.Reads.Execute(CommandText, _parameters);
    }
}
