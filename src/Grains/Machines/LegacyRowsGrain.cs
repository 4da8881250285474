using Microsoft.Extensions.Logging;
using OrleansSync.Grains.Storage;
using OrleansSync.Machines;
using OrleansSync.Premises;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// Moves the old registry row into machine grains, the machine list and machine shards (through the registry, as a
/// new registration would), and the old worldview's kicked-out premises into their premise grains, which hold
/// belief now. Amb choices are left to their searches, which decide them again. Each row is removed once moved;
/// every step can run twice, so a silo that fails half-way leaves a row the next call moves again.
/// </summary>
[GrainType("legacy-rows")]
public sealed partial class LegacyRowsGrain(ILogger<LegacyRowsGrain> logger) : Grain, ILegacyRowsGrain
{
    private const int InFlight = 64;

    private bool _done;

    public async Task Migrate()
    {
        if (_done) return;
        var storage = CellStorage.Of(ServiceProvider);
        await MoveRegistry(new GrainRow<LegacyRegistryRow>(storage, LegacyRegistryRow.StateName, LegacyRegistryRow.GrainType, LegacyRegistryRow.Key));
        await MoveWorldview(new GrainRow<LegacyWorldviewRow>(storage, LegacyWorldviewRow.StateName, LegacyWorldviewRow.GrainType, LegacyWorldviewRow.Key));
        _done = true;
    }

    private async Task MoveRegistry(GrainRow<LegacyRegistryRow> row)
    {
        await row.ReadAsync();
        if (!row.Exists) return;
        var old = row.State;
        var list = GrainFactory.GetGrain<IMachineListGrain>(IMachineListGrain.Key);
        foreach (var (id, machine) in old.Machines.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (await GrainFactory.GetGrain<IMachineGrain>(id).Adopt(machine.Name, machine.Kind, machine.ConnectedAt, machine.LastSeen, machine.Stopped))
                await list.Add(id);
        }
        var registry = GrainFactory.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key);
        var specs = old.Propagators.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        for (var i = 0; i < specs.Count; i += InFlight)
            await Task.WhenAll(specs.Skip(i).Take(InFlight).Select(registry.RegisterPropagator));
        await row.ClearAsync();
        LogRegistryMoved(old.Machines.Count, specs.Count);
    }

    private async Task MoveWorldview(GrainRow<LegacyWorldviewRow> row)
    {
        await row.ReadAsync();
        if (!row.Exists) return;
        var ambs = row.State.Ambs.Count;
        var choices = row.State.Ambs.SelectMany(a => a.Premises).ToHashSet(StringComparer.Ordinal);
        var kickedOut = row.State.KickedOut.Where(p => !choices.Contains(p)).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < kickedOut.Count; i += InFlight)
            await Task.WhenAll(kickedOut.Skip(i).Take(InFlight).Select(p => GrainFactory.GetGrain<IPremiseGrain>(p).KickOut("")));
        await row.ClearAsync();
        LogWorldviewMoved(kickedOut.Count, ambs);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved the earlier cluster-wide registry row: {Machines} machines and {Propagators} propagators, now in machine grains and shards")]
    private partial void LogRegistryMoved(int machines, int propagators);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved the earlier worldview row: {Premises} kicked-out premises, now in their premise grains; the searches of {Ambs} ambs decide again and learn their nogoods again")]
    private partial void LogWorldviewMoved(int premises, int ambs);
}
