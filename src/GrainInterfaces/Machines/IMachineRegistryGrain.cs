using Orleans.Concurrency;
using OrleansSync.Propagation;

namespace OrleansSync.Machines;

/// <summary>
/// The registry of machines (key <see cref="Key"/>): which machines exist and whether they are active,
/// which propagators live on each, the cells each machine subscribes to, and for every cell which
/// propagators on which machines care about it. Reads are served from the last stored state and never
/// wait behind a write.
/// </summary>
[Alias("OrleansSync.IMachineRegistryGrain")]
public interface IMachineRegistryGrain : IGrainWithStringKey
{
    const string Key = "registry";

    /// <summary>Registers the machine on first contact and records that it is alive now.</summary>
    [Alias("Heartbeat")]
    Task<MachineInfo> Heartbeat(string machineId, string name, MachineKind kind);

    /// <summary>The machine shut down cleanly: inactive at once rather than after missed heartbeats.</summary>
    [Alias("Stopped")]
    Task Stopped(string machineId);

    [Alias("RegisterPropagator")]
    Task RegisterPropagator(PropagatorSpec spec);

    [Alias("UnregisterPropagator")]
    Task UnregisterPropagator(string propagatorId);

    [AlwaysInterleave, Alias("GetMachines")]
    Task<IReadOnlyList<MachineInfo>> GetMachines();

    [AlwaysInterleave, Alias("GetMachine")]
    Task<MachineInfo?> GetMachine(string machineId);

    /// <summary>The live propagators on <paramref name="machineId"/>.</summary>
    [AlwaysInterleave, Alias("GetPropagators")]
    Task<IReadOnlyList<PropagatorSpec>> GetPropagators(string machineId);

    /// <summary>For one cell: machine id → ids of the propagators on that machine that read or write the cell.</summary>
    [AlwaysInterleave, Alias("GetCellPropagators")]
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetCellPropagators(string cellId);
}

public enum MachineKind
{
    /// <summary>A silo of this cluster.</summary>
    Cluster,
    /// <summary>A peer outside the cluster that registered through the Gun gateway.</summary>
    External,
}
