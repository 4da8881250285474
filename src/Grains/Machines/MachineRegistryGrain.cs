using Orleans.Concurrency;
using OrleansSync.Cells;
using OrleansSync.Grains.Propagators;
using OrleansSync.Grains.Storage;
using OrleansSync.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// The registry's front: stateless (an activation on every silo that calls it), answering from the machines' grains,
/// their shards and the cells. It holds nothing, so it never becomes the one place every creation queues on.
/// </summary>
[GrainType("machine-registry"), StatelessWorker]
public sealed class MachineRegistryGrain : Grain, IMachineRegistryGrain
{
    public async Task<MachineInfo> Heartbeat(string machineId, string name, MachineKind kind)
    {
        MachineIds.Validate(machineId);
        var (info, isNew) = await Machine(machineId).Heartbeat(name, kind);
        if (isNew) await GrainFactory.GetGrain<IMachineListGrain>(IMachineListGrain.Key).Add(machineId);
        return info;
    }

    public Task Stopped(string machineId) => Machine(machineId).Stopped();

    public async Task<int> RegisterPropagator(PropagatorSpec spec)
    {
        var page = await Shard(spec.Id).Register(spec);
        if (await Machine(spec.Machine).GetInfo() is { Kind: MachineKind.External })
        {
            // Outside the cluster there is no propagator grain: the registry records its cells for it.
            await Task.WhenAll(
                spec.Inputs.Distinct().Select(c => GrainFactory.GetGrain<ICellGrain>(c).AddNeighbor(spec.Id)).Concat(
                spec.Outputs.Distinct().Select(c => GrainFactory.GetGrain<ICellGrain>(c).AddWriter(spec.Id))));
        }
        return page;
    }

    public Task UnregisterPropagator(string propagatorId, int? page = null) => Shard(propagatorId).Unregister(propagatorId, page);

    public async Task<IReadOnlyList<MachineInfo>> GetMachines()
    {
        var ids = await GrainFactory.GetGrain<IMachineListGrain>(IMachineListGrain.Key).GetAll();
        var infos = await Task.WhenAll(ids.Select(id => Machine(id).GetInfo()));
        return [.. infos.OfType<MachineInfo>()];
    }

    public Task<MachineInfo?> GetMachine(string machineId) => Machine(machineId).GetInfo();

    public Task<IReadOnlyList<PropagatorSpec>> GetPropagators(string machineId) => GetPropagators(machineId, int.MaxValue);

    public async Task<IReadOnlyList<PropagatorSpec>> GetPropagators(string machineId, int limit)
    {
        var found = new List<PropagatorSpec>();
        if (limit > 0)
        {
            await foreach (var page in MachineShards.PagesOf(GrainFactory, machineId))
            {
                found.AddRange(page);
                if (found.Count >= limit) break;
            }
        }
        return [.. found.OrderBy(s => s.Id, StringComparer.Ordinal).Take(limit)];
    }

    public async Task<PropagatorSpec?> GetPropagator(string propagatorId)
    {
        // The propagator's own row, read past its grain: that grain cannot run while its machine is down.
        var row = new GrainRow<PropagatorState>(CellStorage.Of(ServiceProvider),
            PropagatorGrain.StateName, PropagatorGrain.StateName, propagatorId);
        await row.ReadAsync();
        if (row.State is { Spec: { } stored, DisposedAt: null }) return stored;
        // Machines outside the cluster have no propagator rows: their specs are only in the shard.
        var shard = Shard(propagatorId);
        var pages = await shard.GetPageCount();
        for (var page = 0; page < pages; page++)
            if ((await shard.GetPage(page)).FirstOrDefault(s => s.Id == propagatorId) is { } spec) return spec;
        return null;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetCellPropagators(string cellId)
    {
        var cell = GrainFactory.GetGrain<ICellGrain>(cellId);
        var readers = await cell.GetNeighbors();
        var writers = await cell.GetWriters();
        return readers.Concat(writers).Distinct(StringComparer.Ordinal)
            .GroupBy(PropagatorIds.MachineOf, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Order(StringComparer.Ordinal)], StringComparer.Ordinal);
    }

    private IMachineGrain Machine(string machineId) => GrainFactory.GetGrain<IMachineGrain>(machineId);

    private IMachineShardGrain Shard(string propagatorId) =>
        GrainFactory.GetGrain<IMachineShardGrain>(MachineShards.Key(PropagatorIds.MachineOf(propagatorId), MachineShards.Of(propagatorId)));
}
