using Microsoft.Extensions.Options;
using OrleansSync.Grains.Storage;
using OrleansSync.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// The machine registry. Reads are answered from an index built from the last stored state, so they
/// interleave with writes and never see an unstored change.
/// </summary>
[GrainType("machine-registry")]
public sealed class MachineRegistryGrain(
    [PersistentState("machine-registry", CellStorage.ProviderName)] IPersistentState<MachineRegistryState> state,
    IOptions<MachineOptions> options) : Grain, IMachineRegistryGrain
{
    // Heartbeats are frequent and the row holds every propagator: a heartbeat is stored only when it
    // changes what readers see (a new or returning machine) or the stored time is getting old.
    private static readonly TimeSpan StoreLastSeenEvery = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, DateTimeOffset> _lastSeen = [];
    private RegistryIndex _index = RegistryIndex.Empty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _index = RegistryIndex.From(state.State);
        return Task.CompletedTask;
    }

    public async Task<MachineInfo> Heartbeat(string machineId, string name, MachineKind kind)
    {
        MachineIds.Validate(machineId);
        var now = DateTimeOffset.UtcNow;
        var wasActive = state.State.Machines.TryGetValue(machineId, out var record) && IsActive(record, machineId, now);
        _lastSeen[machineId] = now;
        if (record is null || !wasActive || record.Name != name || record.Kind != kind || now - record.LastSeen > StoreLastSeenEvery)
        {
            await Write(s => s.Machines[machineId] = new MachineRecord
            {
                Id = machineId,
                Name = name,
                Kind = kind,
                ConnectedAt = wasActive ? record!.ConnectedAt : now,
                LastSeen = now,
            });
        }
        return Describe(state.State.Machines[machineId], now);
    }

    public async Task Stopped(string machineId)
    {
        if (!state.State.Machines.TryGetValue(machineId, out var record)) return;
        _lastSeen.Remove(machineId);
        await Write(s => s.Machines[machineId] = record with { Stopped = true });
    }

    public async Task RegisterPropagator(PropagatorSpec spec)
    {
        if (state.State.Propagators.TryGetValue(spec.Id, out var known) && known.SameAs(spec)) return;
        await Write(s => s.Propagators[spec.Id] = spec);
    }

    public async Task UnregisterPropagator(string propagatorId)
    {
        if (state.State.Propagators.ContainsKey(propagatorId)) await Write(s => s.Propagators.Remove(propagatorId));
    }

    public Task<IReadOnlyList<MachineInfo>> GetMachines()
    {
        var now = DateTimeOffset.UtcNow;
        return Task.FromResult<IReadOnlyList<MachineInfo>>([.. _index.Machines.Values.OrderBy(m => m.Id, StringComparer.Ordinal).Select(m => Describe(m, now))]);
    }

    public Task<MachineInfo?> GetMachine(string machineId) =>
        Task.FromResult(_index.Machines.TryGetValue(machineId, out var m) ? Describe(m, DateTimeOffset.UtcNow) : null);

    public Task<IReadOnlyList<PropagatorSpec>> GetPropagators(string machineId) =>
        Task.FromResult(_index.ByMachine.GetValueOrDefault(machineId) ?? (IReadOnlyList<PropagatorSpec>)[]);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetCellPropagators(string cellId) =>
        Task.FromResult(_index.ByCell.GetValueOrDefault(cellId) ?? (IReadOnlyDictionary<string, IReadOnlyList<string>>)new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>
    /// Applies a change and stores it; on a storage failure the change is undone and the error surfaces. Records
    /// are immutable, so copies of the dictionaries are enough to undo.
    /// </summary>
    private async Task Write(Action<MachineRegistryState> change)
    {
        var s = state.State;
        var previous = new MachineRegistryState { Machines = new(s.Machines), Propagators = new(s.Propagators) };
        change(s);
        await state.WriteOrRestoreAsync(previous);
        _index = RegistryIndex.From(state.State);
    }

    private bool IsActive(MachineRecord record, string id, DateTimeOffset now) =>
        !record.Stopped && now - _lastSeen.GetValueOrDefault(id, record.LastSeen) <= options.Value.InactiveAfter;

    private MachineInfo Describe(MachineRecord record, DateTimeOffset now)
    {
        var propagators = _index.ByMachine.GetValueOrDefault(record.Id) ?? [];
        return new MachineInfo(record.Id, record.Name, record.Kind, record.ConnectedAt, _lastSeen.GetValueOrDefault(record.Id, record.LastSeen),
            IsActive(record, record.Id, now),
            [.. propagators.Select(p => p.Id)],
            [.. propagators.SelectMany(p => p.Inputs).Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>An immutable view of one stored state, so readers never see a half-applied change.</summary>
    private sealed record RegistryIndex(
        IReadOnlyDictionary<string, MachineRecord> Machines,
        IReadOnlyDictionary<string, IReadOnlyList<PropagatorSpec>> ByMachine,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> ByCell)
    {
        public static readonly RegistryIndex Empty = new(
            new Dictionary<string, MachineRecord>(), new Dictionary<string, IReadOnlyList<PropagatorSpec>>(),
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>());

        public static RegistryIndex From(MachineRegistryState s)
        {
            var machines = s.Machines.Values.ToDictionary(m => m.Id);
            var byMachine = s.Propagators.Values.GroupBy(p => p.Machine)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<PropagatorSpec>)[.. g.OrderBy(p => p.Id, StringComparer.Ordinal)]);
            var byCell = s.Propagators.Values
                .SelectMany(p => p.Inputs.Concat(p.Outputs).Distinct().Select(cell => (cell, p.Machine, p.Id)))
                .GroupBy(x => x.cell)
                .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, IReadOnlyList<string>>)g
                    .GroupBy(x => x.Machine)
                    .ToDictionary(m => m.Key, m => (IReadOnlyList<string>)[.. m.Select(x => x.Id).Order(StringComparer.Ordinal)]));
            return new RegistryIndex(machines, byMachine, byCell);
        }
    }
}
