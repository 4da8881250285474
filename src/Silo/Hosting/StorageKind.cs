namespace OrleansSync.Silo.Hosting;

/// <summary>Where grain state lives.</summary>
public enum StorageKind
{
    /// <summary>A SQLite file under the data directory: the embedded single-machine default.</summary>
    Sqlite,

    /// <summary>PostgreSQL for storage and clustering: several silo processes form one cluster.</summary>
    Postgres,

    /// <summary>In memory only; state is lost on restart (benchmark baseline, throwaway runs).</summary>
    Memory,
}
