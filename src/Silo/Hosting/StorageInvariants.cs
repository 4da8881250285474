namespace OrleansSync.Silo.Hosting;

/// <summary>The AdoNet provider names Orleans maps to ADO.NET factories (Orleans' AdoNetInvariants).</summary>
public static class StorageInvariants
{
    public const string Postgres = "Npgsql";

    /// <summary>Orleans resolves this name to Microsoft.Data.Sqlite's factory.</summary>
    public const string Sqlite = "System.Data.SQLite";

    public static string For(StorageKind kind) => kind switch
    {
        StorageKind.Postgres => Postgres,
        StorageKind.Sqlite => Sqlite,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No AdoNet invariant for this storage."),
    };
}
