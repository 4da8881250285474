using System.Net;
using Microsoft.Extensions.Configuration;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// The silo's settings, from standard .NET configuration (appsettings.json, environment variables such
/// as <c>OrleansSync__SiloPort</c>, command-line <c>--OrleansSync:SiloPort=...</c>).
/// A connection string <c>ConnectionStrings:Postgres</c> switches storage and clustering to PostgreSQL.
/// </summary>
public sealed record SiloSettings
{
    public const string Section = "OrleansSync";

    public StorageKind Storage { get; init; } = StorageKind.Sqlite;

    /// <summary>Holds the SQLite file; relative paths are resolved against the current directory.</summary>
    public string DataDirectory { get; init; } = "data";

    public string? PostgresConnectionString { get; init; }

    public string ServiceId { get; init; } = "orleanssync";

    public string ClusterId { get; init; } = "orleanssync";

    public int SiloPort { get; init; } = 11111;

    public int GatewayPort { get; init; } = 30000;

    /// <summary>
    /// Without PostgreSQL: the silo port of the first silo on this host, for a second silo to join it (development
    /// clustering; <c>run.sh</c> with <c>MACHINES=2</c>). Unset: this silo is the first.
    /// </summary>
    public int? PrimarySiloPort { get; init; }

    /// <summary>
    /// The first silo of a single-host cluster (no PostgreSQL, joins no other): every Gun node is activated here
    /// (<c>GunNodePlacement</c>), so a relay in this process may create nodes without activating them.
    /// </summary>
    public bool HoldsEveryGunNode => Storage != StorageKind.Postgres && PrimarySiloPort is null;

    /// <summary>The address other silos and clients use to reach this one.</summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>How long a grain may stay idle before it is deactivated (lazy loading).</summary>
    public TimeSpan CollectionAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Entries in Orleans' cache of where grains are activated. Orleans' default (a million) keeps the memory
    /// of a million cells' addresses after they went idle; a smaller cache costs a directory lookup on a miss.
    /// </summary>
    public int DirectoryCacheSize { get; init; } = 20_000;

    /// <summary>This silo's machine id; unique in the cluster. Unset: generated once and kept in the data directory.</summary>
    public string? MachineId { get; init; }

    public string? MachineName { get; init; }

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A machine without a heartbeat for this long is inactive.</summary>
    public TimeSpan InactiveAfter { get; init; } = TimeSpan.FromSeconds(30);

    public string SqliteConnectionString =>
        $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory), "orleanssync.db")};Pooling=True;Default Timeout=30";

    public string StorageConnectionString => Storage switch
    {
        StorageKind.Sqlite => SqliteConnectionString,
        StorageKind.Postgres => PostgresConnectionString
            ?? throw new InvalidOperationException("Storage is Postgres but ConnectionStrings:Postgres is not set."),
        _ => "",
    };

    public static SiloSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var postgres = configuration.GetConnectionString("Postgres");
        var defaults = new SiloSettings();
        var storage = section["Storage"] is { Length: > 0 } named
            ? Enum.Parse<StorageKind>(named, ignoreCase: true)
            : string.IsNullOrWhiteSpace(postgres) ? StorageKind.Sqlite : StorageKind.Postgres;
        return new SiloSettings
        {
            Storage = storage,
            DataDirectory = section["DataDirectory"] ?? defaults.DataDirectory,
            PostgresConnectionString = string.IsNullOrWhiteSpace(postgres) ? null : postgres,
            ServiceId = section["ServiceId"] ?? defaults.ServiceId,
            ClusterId = section["ClusterId"] ?? defaults.ClusterId,
            SiloPort = section.GetValue("SiloPort", defaults.SiloPort),
            GatewayPort = section.GetValue("GatewayPort", defaults.GatewayPort),
            PrimarySiloPort = section.GetValue<int?>("PrimarySiloPort"),
            AdvertisedAddress = section["AdvertisedAddress"] is { Length: > 0 } address ? IPAddress.Parse(address) : defaults.AdvertisedAddress,
            CollectionAge = section.GetValue("CollectionAge", defaults.CollectionAge),
            DirectoryCacheSize = section.GetValue("DirectoryCacheSize", defaults.DirectoryCacheSize),
            MachineId = section["MachineId"] is { Length: > 0 } machine ? machine : null,
            MachineName = section["MachineName"] is { Length: > 0 } machineName ? machineName : null,
            HeartbeatInterval = section.GetValue("HeartbeatInterval", defaults.HeartbeatInterval),
            InactiveAfter = section.GetValue("InactiveAfter", defaults.InactiveAfter),
        };
    }
}
