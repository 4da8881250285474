using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OrleansSync.Benchmarks;

/// <summary>What a silo's SQLite file holds, measured from outside: rows and payload bytes per state name, and the file.</summary>
public sealed record SqliteStore(IReadOnlyDictionary<string, (long Rows, long Bytes)> States, long FileBytes, long LiveBytes)
{
    public long Rows(params string[] states) => states.Sum(s => States.GetValueOrDefault(s).Rows);

    public long PayloadBytes(params string[] states) => states.Sum(s => States.GetValueOrDefault(s).Bytes);

    public static async Task<SqliteStore> MeasureAsync(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "orleanssync.db");
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        // Folds the write-ahead log into the file, so the file size is what is stored.
        await Scalar(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        var states = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT GrainTypeString, COUNT(*), COALESCE(SUM(LENGTH(PayloadBinary)), 0) FROM OrleansStorage GROUP BY GrainTypeString";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) states[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }
        var pageSize = await Scalar(connection, "PRAGMA page_size;");
        var pages = await Scalar(connection, "PRAGMA page_count;");
        var free = await Scalar(connection, "PRAGMA freelist_count;");
        var files = new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        return new SqliteStore(states, files, (pages - free) * pageSize);
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
