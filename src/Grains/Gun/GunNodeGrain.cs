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
[GrainType(TypeName), GunNodePlacement]
public sealed partial class GunNodeGrain(
    GunNodeActivations activations,
    TimeProvider clock,
    IOptions<GunNodeOptions> options,
    ILogger<GunNodeGrain> logger) : Grain, IGunNodeGrain, IDisposable
{
    /// <summary>The row's state name: the one <c>[PersistentState("gun")]</c> gave it, so stored nodes keep their rows.</summary>
    public const string StateName = "gun";

    public const string TypeName = "gun-node";

    private readonly Dictionary<GrainId, (IGunNodeObserver Observer, DateTimeOffset Until)> _subscribers = [];
    private GunNodeStore _store = null!;
    // Completes once the node knows what is stored: read, or written by a first write that found no row.
    private Task? _loaded;
    private GunNodeDelta? _stored;
    private IGrainTimer? _pendingTimer;
    private string? _soul;
    // Whether this activation is counted in GunNodeActivations (until deactivated or, if it never got that far, disposed).
    private bool _counted;

    // The key decodes to a new string on every call; a put asks for it several times.
    private string Soul => _soul ??= this.GetPrimaryKeyString();

    private double Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Not read here: a put to a soul never written before (most of them, when peers create nodes) needs no read.
        _store = GunNodeStore.Open(CellStorage.Of(ServiceProvider), this.GetGrainId(), Soul);
        // From here on, first writes to this soul come to this activation; one made without it and still in flight
        // is stored before this activation reads anything.
        _counted = true;
        return activations.Activated(Soul).WaitAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Uncount();
        return Task.CompletedTask;
    }

    // Orleans skips OnDeactivateAsync for an activation that failed or was cancelled while activating (a wait above
    // longer than its activation timeout), but disposes every instance.
    public void Dispose() => Uncount();

    private void Uncount()
    {
        if (!_counted) return;
        _counted = false;
        activations.Deactivated(Soul);
    }

    public async Task<GunPutResult> Put(GunNodeDelta delta, GunWriteOrigin? origin = null)
    {
        if (delta.Soul != Soul) throw new ArgumentException($"A write for soul '{delta.Soul}' reached node '{Soul}'.");
        if (_loaded is null && await TryCreate(delta) is { } created) return created;
        await Loaded();
        var now = Now;
        List<string> accepted = [], deferred = [], ignored = [];
        var changes = new Dictionary<string, GunField?>(StringComparer.Ordinal);
        var pending = new List<PendingWrite>(_store.Pending);
        foreach (var (key, field) in delta.Fields)
        {
            switch (HamResolver.Resolve(field.State, field.Value, _store.Fields.GetValueOrDefault(key), now))
            {
                case HamOutcome.Accept:
                    changes[key] = field;
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
        if (accepted.Count > 0 || deferred.Count > 0) await Store(changes, pending);
        if (accepted.Count > 0) Push(accepted.ToDictionary(k => k, k => changes[k]!), origin);
        if (deferred.Count > 0) ArmPendingTimer();
        return new GunPutResult(accepted, deferred, ignored);
    }

    public async Task<GunNodeDelta?> Get()
    {
        await Loaded();
        return Stored();
    }

    public async Task<GunNodeDelta?> Subscribe(IGunNodeObserver observer, TimeSpan lease)
    {
        await Loaded();
        _subscribers[observer.GetGrainId()] = (observer, DateTimeOffset.UtcNow + lease);
        KeepActive();
        return Stored();
    }

    public Task Unsubscribe(IGunNodeObserver observer)
    {
        _subscribers.Remove(observer.GetGrainId());
        KeepActive();
        return Task.CompletedTask;
    }

    public async Task<GunTombstoneRemoval> RemoveTombstones(double cutoffState)
    {
        await Loaded();
        if (_store.HasLeftoverPages) await RemoveLeftoverPages();
        var old = _store.Fields.Where(f => f.Value.Value == GunTombstones.Null && f.Value.State < cutoffState).Select(f => f.Key).ToArray();
        if (old.Length == 0) return new GunTombstoneRemoval(0, false);
        if (_store.Fields.Count > old.Length || _store.Pending.Count > 0)
        {
            await Store(old.ToDictionary(k => k, _ => (GunField?)null, StringComparer.Ordinal), [.. _store.Pending]);
            return new GunTombstoneRemoval(old.Length, false);
        }
        try
        {
            await _store.ClearAsync();
        }
        catch (Exception error)
        {
            LogWriteFailed(error, Soul);
            DeactivateOnIdle();
            throw;
        }
        _stored = null;
        // A fresh activation starts from no row; this one's storage version no longer matches anything.
        DeactivateOnIdle();
        return new GunTombstoneRemoval(old.Length, true);
    }

    /// <summary>
    /// A first put to a node not read yet, when HAM takes every key as it would against an empty node: written as if no
    /// row were there. Null when that does not apply or a row was there after all (then the node is read and the put
    /// goes the usual way). Calls arriving meanwhile (a <see cref="Get"/> interleaves) wait for the outcome.
    /// </summary>
    private async Task<GunPutResult?> TryCreate(GunNodeDelta delta)
    {
        if (!GunNodeStore.IsFirstWrite(delta, Now)) return null;
        var created = CreateRow(delta.Fields);
        _loaded = LoadUnlessCreated(created);
        // Nothing to push: a subscriber reads the node before it is one.
        return await created ? new GunPutResult([.. delta.Fields.Keys], [], []) : null;
    }

    private async Task<bool> CreateRow(IReadOnlyDictionary<string, GunField> fields)
    {
        try
        {
            return await _store.TryCreateAsync(fields);
        }
        catch (Exception error)
        {
            LogWriteFailed(error, Soul);
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task LoadUnlessCreated(Task<bool> created)
    {
        try
        {
            if (await created) return;
        }
        catch
        {
            // The write failed (the put hears of it): what is stored is read all the same.
        }
        await Load();
    }

    private Task Loaded() => _loaded ??= Load();

    private async Task Load()
    {
        try
        {
            await _store.LoadAsync();
        }
        catch
        {
            // As a failed activation would: the calls after this one find a new activation, which reads again.
            DeactivateOnIdle();
            throw;
        }
        // Pages a failed growth left behind (rare): removed before they could be mistaken for anything.
        if (_store.HasLeftoverPages) await RemoveLeftoverPages();
        await ApplyDue();
    }

    private async Task Store(IReadOnlyDictionary<string, GunField?> changes, List<PendingWrite> pending)
    {
        try
        {
            await _store.StoreAsync(changes, pending);
        }
        catch (Exception error)
        {
            LogWriteFailed(error, Soul);
            // Some pages may hold the new values and others not: the next activation reads what is stored.
            DeactivateOnIdle();
            throw;
        }
        // Built again at the next read, not at every write: a write costs what it changes, not the node's size.
        _stored = null;
    }

    private async Task RemoveLeftoverPages()
    {
        try
        {
            await _store.RemoveLeftoverPagesAsync();
        }
        catch (Exception error)
        {
            // Nothing the node holds is lost; its next activation tries again.
            LogWriteFailed(error, Soul);
            DeactivateOnIdle();
        }
    }

    /// <summary>Applies pending writes whose time has come, by HAM against what is there then.</summary>
    private async Task ApplyDue()
    {
        var now = Now;
        var due = _store.Pending.Where(p => p.Field.State <= now).ToList();
        if (due.Count == 0)
        {
            ArmPendingTimer();
            return;
        }
        var changed = new Dictionary<string, GunField?>(StringComparer.Ordinal);
        foreach (var write in due.OrderBy(p => p.Field.State))
        {
            var current = changed.TryGetValue(write.Key, out var earlier) ? earlier : _store.Fields.GetValueOrDefault(write.Key);
            if (HamResolver.Resolve(write.Field.State, write.Field.Value, current, now) != HamOutcome.Accept) continue;
            changed[write.Key] = write.Field;
        }
        await Store(changed, [.. _store.Pending.Except(due)]);
        if (changed.Count > 0) Push(changed.ToDictionary(c => c.Key, c => c.Value!), null);
        ArmPendingTimer();
    }

    private void ArmPendingTimer()
    {
        _pendingTimer?.Dispose();
        _pendingTimer = null;
        if (_store.Pending.Count == 0) return;
        _pendingTimer = this.RegisterGrainTimer(ApplyDue, new GrainTimerCreationOptions(PendingWait(), Timeout.InfiniteTimeSpan));
        KeepActive();
    }

    private TimeSpan PendingWait() => TimeSpan.FromMilliseconds(Math.Clamp(_store.Pending.Min(p => p.Field.State) - Now, 0, int.MaxValue - 1));

    /// <summary>
    /// Stays active while a subscriber's lease runs and until the next pending write is due. Subscribers are kept in
    /// memory only: a node collected while watched would push nothing until the gateway's next renewal (a third of a
    /// lease, 40 s by default) found what it missed. A pending write is stored, but only an active node applies it on time.
    /// </summary>
    private void KeepActive()
    {
        var now = DateTimeOffset.UtcNow;
        var until = _subscribers.Count == 0 ? now : _subscribers.Values.Max(s => s.Until);
        if (_store.Pending.Count > 0 && now + PendingWait() + TimeSpan.FromSeconds(1) is var due && due > until) until = due;
        // Zero hands the node back to the usual idle collection.
        DelayDeactivation(until > now ? until - now : TimeSpan.Zero);
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

    private GunNodeDelta? Stored() =>
        _stored ??= _store.Fields.Count == 0 ? null : new GunNodeDelta(Soul, new Dictionary<string, GunField>(_store.Fields));

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing Gun node {Soul} failed; the write was not applied")]
    private partial void LogWriteFailed(Exception error, string soul);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing a change of Gun node {Soul} to gateway {Gateway} failed")]
    private partial void LogPushFailed(Exception error, string soul, GrainId gateway);
}
