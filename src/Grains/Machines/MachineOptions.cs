namespace OrleansSync.Grains.Machines;

/// <summary>This silo's machine and how machines are tracked (configuration section <c>OrleansSync:Machine</c>).</summary>
public sealed class MachineOptions
{
    public const string Section = "OrleansSync:Machine";

    /// <summary>The silo metadata key that carries the machine id.</summary>
    public const string MetadataKey = "machine";

    /// <summary>Stable id of this machine; unique in the cluster. The host fills it in (configured or generated once and kept).</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A machine whose last heartbeat is older than this is inactive.</summary>
    public TimeSpan InactiveAfter { get; set; } = TimeSpan.FromSeconds(30);
}
