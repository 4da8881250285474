using OrleansSync.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// The rows of the cluster-wide registry and worldview grains of earlier versions, as they were stored (JSON, read
/// through the storage provider): only what is moved on upgrade. The rest of the worldview (nogoods, contradictions,
/// report versions) is not moved: searches learn their nogoods again and cells report their contradictions again.
/// </summary>
public sealed class LegacyRegistryRow
{
    public const string GrainType = "machine-registry";
    public const string StateName = "machine-registry";
    public const string Key = "registry";

    public Dictionary<string, LegacyMachineRecord> Machines { get; set; } = [];

    public Dictionary<string, PropagatorSpec> Propagators { get; set; } = [];
}

public sealed class LegacyMachineRecord
{
    public string Name { get; set; } = "";

    public MachineKind Kind { get; set; }

    public DateTimeOffset ConnectedAt { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public bool Stopped { get; set; }
}

public sealed class LegacyWorldviewRow
{
    public const string GrainType = "worldview";
    public const string StateName = "worldview";
    public const string Key = "worldview";

    public List<string> KickedOut { get; set; } = [];

    public List<LegacyAmb> Ambs { get; set; } = [];
}

public sealed class LegacyAmb
{
    public string Id { get; set; } = "";

    public List<string> Premises { get; set; } = [];
}
