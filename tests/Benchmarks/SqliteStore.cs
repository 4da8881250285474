using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansSync.Compaction;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Benchmarks;

/// <summary>
/// What a silo's SQLite file holds, measured from outside: rows and payload bytes per state name (read as compaction
/// reads them, through <see cref="AdoNetStoredStates"/>), and the file itself.
/// </summary>
public sealed record SqliteStore(StorageSize Size, long FileBytes, long LiveBytes)
{
    public long Rows(params string[] states) => states.Sum(s => Size.Rows.GetValueOrDefault(s));

    public long PayloadBytes(params string[] states) => states.Sum(s => Size.PayloadBytes.GetValueOrDefault(s));

    public static async Task<SqliteStore> MeasureAsync(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "orleanssync.db");
        var connectionString = $"Data Source={path};Pooling=False";
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        // Folds the write-ahead log into the file, so the file size is what is stored.
        await Scalar(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        var size = await new AdoNetStoredStates(StorageInvariants.Sqlite, connectionString,
            Options.Create(new ClusterOptions { ServiceId = new SiloSettings().ServiceId })).MeasureAsync();
        var pageSize = await Scalar(connection, "PRAGMA page_size;");
        var pages = await Scalar(connection, "PRAGMA page_count;");
        var free = await Scalar(connection, "PRAGMA freelist_count;");
        var files = new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        return new SqliteStore(size, files, (pages - free) * pageSize);
    }

    public string Describe(params string[] states) => string.Create(CultureInfo.InvariantCulture,
        $"{Rows(states):N0} rows, {PayloadBytes(states):N0} payload B; file {FileBytes:N0} B ({LiveBytes:N0} B in use)");

    private static async Task<long> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
