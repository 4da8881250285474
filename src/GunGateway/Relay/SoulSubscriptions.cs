using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Gun;
using OrleansSync.GunGateway.Hosting;
using OrleansSync.GunGateway.Protocol;
using OrleansSync.Hosting;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// This gateway's subscriptions. Each connection subscribes to souls (or single keys) implicitly by
/// getting them; the gateway holds one grain subscription per soul, whatever the number of connections,
/// and fans changes out locally. Subscriptions are leases renewed at a third of their length; a renewal
/// returns the node, and keys newer than what this gateway last saw are pushed — so changes made while a
/// silo failed (and its node grain lost the subscription) still arrive.
/// </summary>
public sealed partial class SoulSubscriptions : IGunNodeObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly GunNodeReferences _nodes;
    private readonly GatewayOptions _options;
    private readonly ILogger<SoulSubscriptions> _logger;
    private readonly IGunNodeObserver _reference;
    private readonly AckRoutes _acks;
    private readonly ConcurrentDictionary<string, Soul> _souls = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _renewal;

    /// <summary>Souls followed for this gateway's peers.</summary>
    public int Count => _souls.Count;

    public SoulSubscriptions(IGrainFactory grains, GunNodeReferences nodes, AckRoutes acks, IOptions<GatewayOptions> options, ILogger<SoulSubscriptions> logger)
    {
        _grains = grains;
        _nodes = nodes;
        _acks = acks;
        _options = options.Value;
        _logger = logger;
        _reference = grains.CreateObjectReference<IGunNodeObserver>(this);
        _renewal = Task.Run(RenewLoop);
    }

    /// <summary>This gateway as an observer: the address other gateways send subscribers' acks to.</summary>
    public IGunNodeObserver Reference => _reference;

    /// <summary>Subscribes a connection to a soul (key null: the whole node) and returns the node as it is now.</summary>
    public async Task<GunNodeDelta?> Subscribe(GunPeer peer, string soul, string? key)
    {
        var entry = _souls.GetOrAdd(soul, s => new Soul(s));
        peer.WatchedSouls.TryAdd(soul, 0);
        lock (entry)
        {
            if (entry.Peers.TryGetValue(peer, out var keys)) keys.Add(key ?? "");
            else entry.Peers.Add(peer, [key ?? ""]);
            // A get that finishes after its connection's disconnect (Drop) must not leave the closed peer subscribed.
            if (peer.Closed) entry.Peers.Remove(peer);
        }
        if (!entry.Subscribed)
        {
            var node = await _nodes[soul].Subscribe(_reference, _options.SubscriptionLease);
            entry.Subscribed = true;
            entry.Remember(node);
            return node;
        }
        return await _nodes[soul].Get();
    }

    /// <summary>A connection closed: it leaves the souls it watched (the renewal pass lets go of souls nobody watches).</summary>
    public void Drop(GunPeer peer)
    {
        foreach (var soul in peer.WatchedSouls.Keys)
            if (_souls.TryGetValue(soul, out var entry))
                lock (entry) entry.Peers.Remove(peer);
    }

    /// <summary>A node changed: push the keys each local subscriber asked for.</summary>
    public void NodeChanged(GunNodeDelta change, GunWriteOrigin? origin)
    {
        if (!_souls.TryGetValue(change.Soul, out var entry)) return;
        var fresh = entry.Remember(change);
        if (fresh.Fields.Count > 0) Fan(entry, fresh, origin);
    }

    public void SubscriberAck(string putId, string ok) => _acks.DeliverToWriter(putId, ok);

    /// <summary>
    /// Sends a subscriber's ack to the writer's gateway; when that is this gateway, straight to the writer (an
    /// observer call to ourselves would travel to a silo and back).
    /// </summary>
    public void RouteSubscriberAck(GunWriteOrigin origin, string ok)
    {
        if (origin.Gateway.GetGrainId() == _reference.GetGrainId()) _acks.DeliverToWriter(origin.PutId, ok);
        else origin.Gateway.SubscriberAck(origin.PutId, ok);
    }

    private void Fan(Soul entry, GunNodeDelta change, GunWriteOrigin? origin)
    {
        (GunPeer Peer, string[] Keys)[] peers;
        lock (entry) peers = [.. entry.Peers.Select(p => (p.Key, p.Value.ToArray()))];
        foreach (var (peer, keys) in peers)
        {
            var wanted = keys.Contains("") ? change : new GunNodeDelta(change.Soul, change.Fields.Where(f => keys.Contains(f.Key)).ToDictionary());
            if (wanted.Fields.Count == 0) continue;
            var pushId = GunIds.New();
            if (origin is not null) _acks.RememberPush(pushId, origin);
            peer.Send(GunReplies.Push(pushId, wanted));
        }
    }

    private async Task RenewLoop()
    {
        var every = _options.SubscriptionLease / 3;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var released = 0;
            foreach (var entry in _souls.Values.ToArray())
            {
                try
                {
                    bool idle;
                    lock (entry) idle = entry.Peers.Count == 0;
                    var grain = _nodes[entry.Name];
                    if (idle)
                    {
                        _souls.TryRemove(entry.Name, out _);
                        released++;
                        await grain.Unsubscribe(_reference);
                        continue;
                    }
                    var node = await grain.Subscribe(_reference, _options.SubscriptionLease);
                    if (node is not null)
                    {
                        var missed = entry.Remember(node);
                        if (missed.Fields.Count > 0) Fan(entry, missed, null);
                    }
                }
                catch (Exception error)
                {
                    LogRenewFailed(error, entry.Name);
                }
            }
            // Many connections went (a burst, or hostile traffic, ended): with little traffic left, nothing else would
            // run a collection, and the gateway would keep its peak size.
            var remaining = _souls.Count;
            if (ProcessMemory.ShouldTrim(peak: released + remaining, previous: remaining, current: remaining, minReleased: ReleasedBeforeTrim))
            {
                LogReleased(released);
                ProcessMemory.Trim();
            }
        }
    }

    private const int ReleasedBeforeTrim = 256;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _renewal;
        _grains.DeleteObjectReference<IGunNodeObserver>(_reference);
    }

    private sealed class Soul(string name)
    {
        private readonly Dictionary<string, GunField> _known = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        /// <summary>The connections watching this soul and the keys each asked for ("" for all); guarded by the entry's lock.
        /// A plain dictionary: a concurrent one per soul cost its bucket and lock arrays for every soul watched.</summary>
        public Dictionary<GunPeer, HashSet<string>> Peers { get; } = [];

        public bool Subscribed { get; set; }

        /// <summary>Records what the node holds; returns the keys that are new to this gateway.</summary>
        public GunNodeDelta Remember(GunNodeDelta? node)
        {
            var fresh = new Dictionary<string, GunField>(StringComparer.Ordinal);
            if (node is null) return new GunNodeDelta(Name, fresh);
            lock (_known)
            {
                foreach (var (key, field) in node.Fields)
                {
                    // Only what would win by HAM is news; a reordered, older push is not. (What a node pushes was
                    // applied at its time, so nothing here is from the future.)
                    if (HamResolver.Resolve(field.State, field.Value, _known.GetValueOrDefault(key), double.PositiveInfinity) != HamOutcome.Accept) continue;
                    _known[key] = field;
                    fresh[key] = field;
                }
            }
            return new GunNodeDelta(Name, fresh);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Let go of {Count} Gun souls nobody watches any more; trimmed memory")]
    private partial void LogReleased(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the subscription to Gun soul {Soul} failed; retrying at the next renewal")]
    private partial void LogRenewFailed(Exception error, string soul);
}
