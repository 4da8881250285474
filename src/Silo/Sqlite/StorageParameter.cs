using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace OrleansSync.Silo.Sqlite;

/// <summary>
/// A parameter of an AdoNet storage query: a name and a value, held until the query runs on the writer or a reader
/// (<see cref="SqliteStatements"/> binds it there). A plain holder rather than a SqliteParameter, which AdoNet's seven
/// to nine parameters per query made for every read and write, each with state this never uses.
/// </summary>
internal sealed class StorageParameter : DbParameter
{
    public override DbType DbType { get; set; } = DbType.String;

    public override ParameterDirection Direction { get; set; } = ParameterDirection.Input;

    public override bool IsNullable { get; set; }

    [AllowNull]
    public override string ParameterName { get; set; } = "";

    public override int Size { get; set; }

    [AllowNull]
    public override string SourceColumn { get; set; } = "";

    public override bool SourceColumnNullMapping { get; set; }

    public override object? Value { get; set; }

    public override void ResetDbType() => DbType = DbType.String;
}
