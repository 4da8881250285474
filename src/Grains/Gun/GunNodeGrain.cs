using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Grains.Storage;
using OrleansSync.Gun;

namespace OrleansSync.Grains.Gun;

/// <summary>
/// A Gun node. Writes are resolved key by key with HAM and stored before the caller hears back; the keys
/// that won are pushed to subscribed gateways. A write from the future (a state ahead of this silo's clock)
/// is stored as pending and applied, by HAM, when its time comes — so it is durable when acknowledged, unlike
/// gun's relay, which holds it in a timer and never acknowledges it. How many such writes wait on one node is
/// bounded (<see cref="GunNodeOptions.MaxPendingWrites"/>); how far ahead they may be is the gateway's to bound.
/// </summary>
[GrainType("gun-node")]
public sealed partial class GunNodeGrain(
    [PersistentState("gun", CellStorage.ProviderName)] IPersistentState<GunNodeState> state,
    TimeProvider clock,
    IOptions<GunNodeOptions> options,
    ILogger<GunNodeGrain> logger) : Grain, IGunNodeGrain
{
    private readonly Dictionary<GrainId, (IGunNodeObserver Observer, DateTimeOffset Until)> _subscribers = [];
    private GunNodeDelta? _stored;
    private IGrainTimer? _pendingTimer;

    private string Soul => this.GetPrimaryKeyString();

    private double Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stored = Snapshot();
        await ApplyDue();
    }

    public async Task<GunPutResult> Put(GunNodeDelta delta, GunWriteOrigin? origin = null)
    {
        if (delta.Soul != Soul) throw new ArgumentException($"A write for soul '{delta.Soul}' reached node '{Soul}'.");
        var now = Now;
        List<string> accepted = [], deferred = [], ignored = [];
        var fields = new Dictionary<string, GunField>(state.State.Fields);
        var pending = new List<PendingWrite>(state.State.Pending);
        foreach (var (key, field) in delta.Fields)
        {
            switch (HamResolver.Resolve(field.State, field.Value, fields.GetValueOrDefault(key), now))
            {
                case HamOutcome.Accept:
                    fields[key] = field;
                    accepted.Add(key);
                    break;
                case HamOutcome.Defer:
                    pending.Add(new PendingWrite(key, field));
                    deferred.Add(key);
                    break;
                default:
                    ignored.Add(key);
                    break;
            }
        }
        // Each waiting write keeps this node active until its time: a peer may not pin it with any number of them.
        if (deferred.Count > 0 && pending.Count > options.Value.MaxPendingWrites)
            return new GunPutResult([], [], [], $"Error: Too many future-state writes waiting on '{Soul}' (the limit is {options.Value.MaxPendingWrites}).");
        if (accepted.Count > 0 || deferred.Count > 0) await Store(fields, pending);
        if (accepted.Count > 0) Push(accepted.ToDictionary(k => k, k => fields[k]), origin);
        if (deferred.Count > 0) ArmPendingTimer();
        return new GunPutResult(accepted, deferred, ignored);
    }

    public Task<GunNodeDelta?> Get() => Task.FromResult(_stored);

    public Task<GunNodeDelta?> Subscribe(IGunNodeObserver observer, TimeSpan lease)
    {
        _subscribers[observer.GetGrainId()] = (observer, DateTimeOffset.UtcNow + lease);
        return Task.FromResult(_stored);
    }

    public Task Unsubscribe(IGunNodeObserver observer)
    {
        _subscribers.Remove(observer.GetGrainId());
        return Task.CompletedTask;
    }

    public async Task<GunTombstoneRemoval> RemoveTombstones(double cutoffState)
    {
        var old = state.State.Fields.Where(f => f.Value.Value == GunTombstones.Null && f.Value.State < cutoffState).Select(f => f.Key).ToArray();
        if (old.Length == 0) return new GunTombstoneRemoval(0, false);
        var fields = new Dictionary<string, GunField>(state.State.Fields);
        foreach (var key in old) fields.Remove(key);
        if (fields.Count > 0 || state.State.Pending.Count > 0)
        {
            await Store(fields, state.State.Pending);
            return new GunTombstoneRemoval(old.Length, false);
        }
        await state.ClearStateAsync();
        state.State = new GunNodeState();
        _stored = null;
        // A fresh activation starts from no row; this one's storage version no longer matches anything.
        DeactivateOnIdle();
        return new GunTombstoneRemoval(old.Length, true);
    }

    private async Task Store(Dictionary<string, GunField> fields, List<PendingWrite> pending)
    {
        var previous = state.State;
        state.State = new GunNodeState { Fields = fields, Pending = pending };
        await state.WriteOrRestoreAsync(previous, error => LogWriteFailed(error, Soul));
        _stored = Snapshot();
    }

    /// <summary>Applies pending writes whose time has come, by HAM against what is there then.</summary>
    private async Task ApplyDue()
    {
        var now = Now;
        var due = state.State.Pending.Where(p => p.Field.State <= now).ToList();
        if (due.Count == 0)
        {
            ArmPendingTimer();
            return;
        }
        var fields = new Dictionary<string, GunField>(state.State.Fields);
        var changed = new Dictionary<string, GunField>();
        foreach (var write in due.OrderBy(p => p.Field.State))
        {
            if (HamResolver.Resolve(write.Field.State, write.Field.Value, fields.GetValueOrDefault(write.Key), now) != HamOutcome.Accept) continue;
            fields[write.Key] = write.Field;
            changed[write.Key] = write.Field;
        }
        await Store(fields, [.. state.State.Pending.Except(due)]);
        if (changed.Count > 0) Push(changed, null);
        ArmPendingTimer();
    }

    private void ArmPendingTimer()
    {
        _pendingTimer?.Dispose();
        _pendingTimer = null;
        if (state.State.Pending.Count == 0) return;
        var wait = TimeSpan.FromMilliseconds(Math.Clamp(state.State.Pending.Min(p => p.Field.State) - Now, 0, int.MaxValue - 1));
        // Stay active until then: the write is stored, but only an active node applies it on time.
        DelayDeactivation(wait + TimeSpan.FromSeconds(1));
        _pendingTimer = this.RegisterGrainTimer(ApplyDue, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan));
    }

    private void Push(Dictionary<string, GunField> changed, GunWriteOrigin? origin)
    {
        var change = new GunNodeDelta(Soul, changed);
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, subscriber) in _subscribers.ToArray())
        {
            if (subscriber.Until < now)
            {
                _subscribers.Remove(id);
                continue;
            }
            try
            {
                subscriber.Observer.NodeChanged(change, origin);
            }
            catch (Exception error)
            {
                LogPushFailed(error, Soul, id);
            }
        }
    }

    private GunNodeDelta? Snapshot() =>
        state.State.Fields.Count == 0 ? null : new GunNodeDelta(Soul, new Dictionary<string, GunField>(state.State.Fields));

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing Gun node {Soul} failed; the write was not applied")]
    private partial void LogWriteFailed(Exception error, string soul);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing a change of Gun node {Soul} to gateway {Gateway} failed")]
    private partial void LogPushFailed(Exception error, string soul, GrainId gateway);
}
