using OrleansSync.Propagation;

namespace OrleansSync.Machines;

/// <summary>
/// The machine registry as callers see it (key <see cref="Key"/>): a stateless front that answers from the
/// machines' own grains and shards, so nothing about machines or propagators is kept in one row or one activation.
/// Listing costs in proportion to the answer.
/// </summary>
[Alias("OrleansSync.IMachineRegistryGrain")]
public interface IMachineRegistryGrain : IGrainWithStringKey
{
    const string Key = "registry";

    [Alias("Heartbeat")]
    Task<MachineInfo> Heartbeat(string machineId, string name, MachineKind kind);

    [Alias("Stopped")]
    Task Stopped(string machineId);

    /// <summary>Registers a propagator with its machine's shard; returns the page it is on. Machines outside the cluster also register their propagators' cells.</summary>
    [Alias("RegisterPropagator")]
    Task<int> RegisterPropagator(PropagatorSpec spec);

    [Alias("UnregisterPropagator")]
    Task UnregisterPropagator(string propagatorId, int? page = null);

    [Alias("GetMachines")]
    Task<IReadOnlyList<MachineInfo>> GetMachines();

    [Alias("GetMachine")]
    Task<MachineInfo?> GetMachine(string machineId);

    /// <summary>The live propagators on <paramref name="machineId"/>, shard by shard and page by page.</summary>
    [Alias("GetPropagators")]
    Task<IReadOnlyList<PropagatorSpec>> GetPropagators(string machineId);

    /// <summary>At most <paramref name="limit"/> of the machine's propagators (the first pages of its shards): costs what it returns.</summary>
    [Alias("GetSomePropagators")]
    Task<IReadOnlyList<PropagatorSpec>> GetPropagators(string machineId, int limit);

    /// <summary>One propagator's registered spec, or null.</summary>
    [Alias("GetPropagator")]
    Task<PropagatorSpec?> GetPropagator(string propagatorId);

    /// <summary>For one cell: machine id → ids of the propagators on that machine that read or write the cell.</summary>
    [Alias("GetCellPropagators")]
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetCellPropagators(string cellId);
}
