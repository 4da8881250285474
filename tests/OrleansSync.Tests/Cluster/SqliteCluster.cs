using Microsoft.Extensions.DependencyInjection;
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

    public static async Task<SqliteCluster> StartAsync(int silos = 2)
    {
        var directory = new TempDirectory();
        var settings = new SiloSettings { Storage = StorageKind.Sqlite, DataDirectory = directory.Path };
        await SchemaInstaller.EnsureAsync(settings);
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansSyncGrains(settings));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new SqliteCluster(cluster, directory);
    }

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
