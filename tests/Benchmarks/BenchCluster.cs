using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansSync.Propagators;
using OrleansSync.Silo.Hosting;
using OrleansSync.Silo.Schema;
using OrleansSync.TestSupport;

namespace OrleansSync.Benchmarks;

/// <summary>
/// A TestingHost cluster for the propagator benchmarks: one or more silos (machines A, B, ...) on SQLite in a
/// throwaway directory (or in-memory storage), warnings only in the log.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private readonly TempDirectory? _directory;

    private BenchCluster(InProcessTestCluster cluster, TempDirectory? directory, int silos)
    {
        _cluster = cluster;
        _directory = directory;
        Machines = [.. Enumerable.Range(0, silos).Select(i => ((char)('A' + i)).ToString())];
    }

    public IClusterClient Client => _cluster.Client;

    public IReadOnlyList<string> Machines { get; }

    public string? DataDirectory => _directory?.Path;

    public PropagatorNetwork Network(string network = "") => new(Client, network);

    public static Task<BenchCluster> StartAsync(int silos = 1, bool sqlite = true, TimeSpan? collectionAge = null)
    {
        var directory = sqlite ? new TempDirectory("orleanssync-bench-") : null;
        var settings = sqlite
            ? new SiloSettings { Storage = StorageKind.Sqlite, DataDirectory = directory!.Path }
            : new SiloSettings { Storage = StorageKind.Memory };
        if (collectionAge is { } age) settings = settings with { CollectionAge = age };
        return StartAsync(settings, silos, directory);
    }

    /// <summary>A cluster of <paramref name="silos"/> on <paramref name="settings"/>; <paramref name="directory"/> is removed with it.</summary>
    public static async Task<BenchCluster> StartAsync(SiloSettings settings, int silos, TempDirectory? directory = null)
    {
        await SchemaInstaller.EnsureAsync(settings);
        var builder = new InProcessTestClusterBuilder((short)silos);
        var configured = 0;
        builder.ConfigureSilo((_, silo) =>
        {
            var machine = ((char)('A' + Interlocked.Increment(ref configured) - 1)).ToString();
            silo.AddOrleansSyncGrains(settings with { MachineId = machine });
            silo.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        });
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BenchCluster(cluster, directory, silos);
    }

    /// <summary>The largest stored row: its state name and payload bytes.</summary>
    public async Task<(string State, long Bytes)> LargestRowAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory!, "orleanssync.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainTypeString, LENGTH(PayloadBinary) FROM OrleansStorage ORDER BY LENGTH(PayloadBinary) DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt64(1)) : ("none", 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _directory?.Dispose();
    }
}
