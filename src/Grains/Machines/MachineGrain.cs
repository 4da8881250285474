using Microsoft.Extensions.Options;
using OrleansSync.Grains.Storage;
using OrleansSync.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// One machine: name, kind, when it connected and was last seen. Heartbeats are frequent, so one is stored only when
/// it changes what readers see (a new or returning machine, a new name) or the stored time is getting old.
/// </summary>
[GrainType("machine")]
public sealed class MachineGrain(IOptions<MachineOptions> options) : Grain, IMachineGrain
{
    private static readonly TimeSpan StoreLastSeenEvery = TimeSpan.FromMinutes(1);

    private GrainRow<MachineState> _row = null!;
    private DateTimeOffset? _lastSeen;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _row = new GrainRow<MachineState>(CellStorage.Of(ServiceProvider), "machine", "machine", Id);
        await _row.ReadAsync();
    }

    public async Task<(MachineInfo Info, bool New)> Heartbeat(string name, MachineKind kind)
    {
        MachineIds.Validate(Id);
        var now = DateTimeOffset.UtcNow;
        var known = _row.Exists;
        var s = _row.State;
        var wasActive = known && IsActive(now);
        _lastSeen = now;
        if (!known || !wasActive || s.Name != name || s.Kind != kind || now - s.LastSeen > StoreLastSeenEvery)
        {
            await _row.WriteAsync(new MachineState
            {
                Name = name,
                Kind = kind,
                ConnectedAt = wasActive ? s.ConnectedAt : now,
                LastSeen = now,
            });
        }
        return (Describe(now, await PropagatorCount()), !known);
    }

    public async Task Stopped()
    {
        if (!_row.Exists) return;
        _lastSeen = null;
        var s = _row.State;
        await _row.WriteAsync(new MachineState { Name = s.Name, Kind = s.Kind, ConnectedAt = s.ConnectedAt, LastSeen = s.LastSeen, Stopped = true });
    }

    public async Task<bool> Adopt(string name, MachineKind kind, DateTimeOffset connectedAt, DateTimeOffset lastSeen, bool stopped)
    {
        if (_row.Exists) return false;
        MachineIds.Validate(Id);
        await _row.WriteAsync(new MachineState { Name = name, Kind = kind, ConnectedAt = connectedAt, LastSeen = lastSeen, Stopped = stopped });
        return true;
    }

    public async Task<MachineInfo?> GetInfo() => _row.Exists ? Describe(DateTimeOffset.UtcNow, await PropagatorCount()) : null;

    private bool IsActive(DateTimeOffset now) =>
        !_row.State.Stopped && now - (_lastSeen ?? _row.State.LastSeen) <= options.Value.InactiveAfter;

    private MachineInfo Describe(DateTimeOffset now, long propagators)
    {
        var s = _row.State;
        return new MachineInfo(Id, s.Name, s.Kind, s.ConnectedAt, _lastSeen ?? s.LastSeen, IsActive(now), propagators);
    }

    private async Task<long> PropagatorCount()
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, MachineShards.Count).Select(i => GrainFactory.GetGrain<IMachineShardGrain>(MachineShards.Key(Id, i)).GetCount()));
        return counts.Sum();
    }
}
