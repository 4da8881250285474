using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using OrleansSync.Grains.Machines;
using Orleans.TestingHost;
using OrleansSync.Grains.Cells;
using OrleansSync.Silo.Hosting;
using OrleansSync.Silo.Schema;
using OrleansSync.TestSupport;

namespace OrleansSync.Tests.Cluster;

/// <summary>A real Orleans test cluster (TestingHost, several silos) storing cells in a real SQLite file.</summary>
public sealed class SqliteCluster : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private SqliteCluster(InProcessTestCluster cluster, TempDirectory directory)
    {
        Cluster = cluster;
        _directory = directory;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public string SqliteConnectionString => new SiloSettings { Storage = StorageKind.Sqlite, DataDirectory = _directory.Path }.SqliteConnectionString;

    /// <summary>
    /// Starts <paramref name="silos"/> silos; silo i is machine <c>machines[i]</c> (default A, B, C...).
    /// <paramref name="configure"/> adds per-machine services, such as a machine's own propagator implementations.
    /// <paramref name="database"/> is a SQLite file to start from (a copy of it), such as one an earlier version wrote.
    /// </summary>
    public static async Task<SqliteCluster> StartAsync(int silos = 2, string[]? machines = null, Action<string, ISiloBuilder>? configure = null, string? database = null)
    {
        var directory = new TempDirectory();
        if (database is not null) File.Copy(database, Path.Combine(directory.Path, "orleanssync.db"));
        var settings = new SiloSettings
        {
            Storage = StorageKind.Sqlite,
            DataDirectory = directory.Path,
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            InactiveAfter = TimeSpan.FromSeconds(2),
        };
        await SchemaInstaller.EnsureAsync(settings);
        machines ??= [.. Enumerable.Range(0, silos).Select(i => ((char)('A' + i)).ToString())];
        var builder = new InProcessTestClusterBuilder((short)silos);
        // Rows belong to a service id; a cluster started on an existing database is the service that wrote it.
        if (database is not null && await StoredServiceId(settings.SqliteConnectionString) is { } serviceId) builder.Options.ServiceId = serviceId;
        SqliteCluster? created = null;
        var started = 0;
        builder.ConfigureSilo((_, silo) =>
        {
            // Silos are configured in start order; a silo started later is the machine the test asked for.
            var index = Interlocked.Increment(ref started) - 1;
            var machine = index < machines.Length ? machines[index] : created?.NextMachine ?? throw new InvalidOperationException("Set NextMachine before starting another silo.");
            silo.AddOrleansSyncGrains(settings with { MachineId = machine });
            configure?.Invoke(machine, silo);
        });
        var cluster = builder.Build();
        created = new SqliteCluster(cluster, directory);
        await cluster.DeployAsync();
        return created;
    }

    private static async Task<string?> StoredServiceId(string connectionString)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ServiceId FROM OrleansStorage LIMIT 1";
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The silo that is <paramref name="machine"/>.</summary>
    public InProcessSiloHandle SiloOf(string machine) =>
        Cluster.Silos.Single(s => Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<IOptions<MachineOptions>>().Value.Id == machine);

    /// <summary>The machine id the next silo started by the test (after deployment) will have.</summary>
    public string? NextMachine { get; set; }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _directory.Dispose();
    }
}

/// <summary>One cluster shared by the tests of a class (xunit runs them one after another).</summary>
public sealed class SqliteClusterFixture : Xunit.IAsyncLifetime
{
    public SqliteCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await SqliteCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
