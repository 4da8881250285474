using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansSync.Grains.Cells;
using OrleansSync.Grains.Gun;
using OrleansSync.Grains.Machines;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Lattice.Json;
using OrleansSync.Silo.Sqlite;

namespace OrleansSync.Silo.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>A whole OrleansSync silo: clustering and endpoints for the chosen storage, plus the grains.</summary>
    public static ISiloBuilder UseOrleansSync(this ISiloBuilder silo, SiloSettings settings, IConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = settings.ServiceId;
            o.ClusterId = settings.ClusterId;
        });
        if (settings.Storage == StorageKind.Postgres)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = StorageInvariants.Postgres;
                o.ConnectionString = settings.StorageConnectionString;
            });
            silo.ConfigureEndpoints(settings.AdvertisedAddress, settings.SiloPort, settings.GatewayPort);
        }
        else
        {
            // Development clustering: one host, this silo is the primary. Multi-process needs PostgreSQL.
            var primary = settings.PrimarySiloPort is { } port ? new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port) : null;
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, primary, settings.ServiceId, settings.ClusterId);
            // Every Gun node on the primary (settings.HoldsEveryGunNode there), so that its relay may create nodes
            // without activating them (GunNodeCreator).
            silo.Services.Configure<GunNodePlacementOptions>(o => o.Home = primary ?? new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, settings.SiloPort));
        }
        return silo.AddOrleansSyncGrains(settings, configuration);
    }

    /// <summary>
    /// The grains and their storage, without clustering (test clusters bring their own). Without
    /// <paramref name="configuration"/>, cell options keep their defaults.
    /// </summary>
    public static ISiloBuilder AddOrleansSyncGrains(this ISiloBuilder silo, SiloSettings settings, IConfiguration? configuration = null)
    {
        silo.Services.AddSingleton(MergeRegistry.Default);
        silo.Services.AddSingleton(PartialInfoCodec.Default);
        silo.Services.TryAddSingleton(TimeProvider.System);
        if (configuration is not null)
        {
            silo.Services.Configure<CellOptions>(configuration.GetSection(CellOptions.Section));
            silo.Services.Configure<MemoryTrimOptions>(configuration.GetSection(MemoryTrimOptions.Section));
            silo.Services.Configure<SchedulerOptions>(configuration.GetSection(SchedulerOptions.Section));
            silo.Services.Configure<GunNodeOptions>(configuration.GetSection(GunNodeOptions.Section));
        }
        silo.Services.AddHostedService<IdleMemoryTrimmer>();
        silo.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = settings.CollectionAge;
            // Orleans checks for idle grains every quantum (1 min) and requires the age to exceed it.
            if (settings.CollectionAge < TimeSpan.FromMinutes(2)) o.CollectionQuantum = settings.CollectionAge / 2;
        });
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = settings.DirectoryCacheSize);
        silo.AddPropagatorNetwork(MachineIdentity.Resolve(settings));
        silo.Services.AddSingleton<GunNodeActivations>();
        silo.AddPlacementDirector<GunNodePlacement, GunNodePlacementDirector>();

        if (settings.Storage == StorageKind.Memory)
        {
            // The same stored format as on disk: Orleans' default (Newtonsoft) cannot read back the lattice's types.
            silo.AddMemoryGrainStorage(CellStorage.ProviderName, o => o.GrainStorageSerializer = new JsonStateSerializer(PartialInfoCodec.Default));
        }
        else
        {
            // Built by the container so that the silo's shutdown disposes it (and its writer) after the last write.
            if (settings.Storage == StorageKind.Sqlite) silo.Services.AddSingleton(_ => new SqliteDataSource(settings.StorageConnectionString));
            silo.AddAdoNetGrainStorage(CellStorage.ProviderName, options => options.Configure<IServiceProvider>((o, services) =>
            {
                o.Invariant = StorageInvariants.For(settings.Storage);
                if (settings.Storage == StorageKind.Sqlite) o.DataSource = services.GetRequiredService<SqliteDataSource>();
                else o.ConnectionString = settings.StorageConnectionString;
                o.GrainStorageSerializer = new JsonStateSerializer(PartialInfoCodec.Default);
                // Deleting a cell or a Gun node, or restoring an archived cell, removes the row: storage holds live grains only.
                o.DeleteStateOnClear = true;
            }));
            silo.Services.AddSingleton<IStoredStates>(sp => new AdoNetStoredStates(
                StorageInvariants.For(settings.Storage), settings.StorageConnectionString, sp.GetRequiredService<IOptions<ClusterOptions>>()));
        }
        return silo;
    }
}
