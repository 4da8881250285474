using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansSync.Gun;
using OrleansSync.GunGateway.Protocol;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// Keeps the sync/ nodes that change without a write — the listings (<c>sync/machines</c>, <c>sync/propagators</c>,
/// <c>sync/propagators/{machine}</c>, <c>sync/cells</c>) and machine nodes (active, last seen) — current for the peers
/// that read them: while any peer watches one, it is rebuilt every refresh period and only what changed is pushed
/// (a key that left the listing is pushed as null). Work per period is one build per watched node, whatever the
/// number of peers.
/// </summary>
public sealed partial class SyncListings(SyncNamespace sync, TimeSpan refresh, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Watched> _watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private Task? _loop;

    private sealed class Watched
    {
        public ConcurrentDictionary<GunPeer, byte> Peers { get; } = new();

        /// <summary>The values last sent (or answered), by key.</summary>
        public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);

        public double State { get; set; }
    }

    /// <summary><paramref name="peer"/> read <paramref name="soul"/> and got <paramref name="node"/>: from now on it hears its changes.</summary>
    public void Watch(GunPeer peer, string soul, GunNodeDelta? node)
    {
        lock (_gate)
        {
            if (peer.Closed) return;
            var watched = _watched.GetOrAdd(soul, _ => new Watched { Values = Values(node), State = State(node) });
            watched.Peers.TryAdd(peer, 0);
            peer.WatchedListings.TryAdd(soul, 0);
            _loop ??= Task.Run(Loop);
        }
    }

    /// <summary>A connection closed: only the nodes it watched are looked at.</summary>
    public void Drop(GunPeer peer)
    {
        lock (_gate)
        {
            foreach (var soul in peer.WatchedListings.Keys)
                if (_watched.TryGetValue(soul, out var watched) && watched.Peers.TryRemove(peer, out _) && watched.Peers.IsEmpty) _watched.TryRemove(soul, out _);
        }
    }

    private async Task Loop()
    {
        using var timer = new PeriodicTimer(refresh);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
                await Task.WhenAll(_watched.ToArray().Select(w => Refresh(w.Key, w.Value)));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Refresh(string soul, Watched watched)
    {
        GunNodeDelta? node;
        try
        {
            node = await sync.Build(soul, SyncAddress.Parse(soul));
        }
        catch (Exception error)
        {
            // The cluster may be away for a while; the next period tries again.
            LogRefreshFailed(error.GetBaseException().Message, soul);
            return;
        }
        var now = Values(node);
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in now)
            if (!watched.Values.TryGetValue(key, out var before) || before != value) changed[key] = value;
        foreach (var key in watched.Values.Keys)
            if (!now.ContainsKey(key)) changed[key] = GunValues.Null;
        if (changed.Count == 0) return;
        // Strictly newer than anything sent before, so every peer's HAM takes the change.
        watched.State = Math.Max(watched.State + 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        watched.Values = now;
        var frame = GunReplies.Push(GunIds.New(), new GunNodeDelta(soul, changed.ToDictionary(c => c.Key, c => new GunField(c.Value, watched.State))));
        foreach (var peer in watched.Peers.Keys) peer.Send(frame);
    }

    private static Dictionary<string, string> Values(GunNodeDelta? node) =>
        node is null ? new(StringComparer.Ordinal) : node.Fields.ToDictionary(f => f.Key, f => f.Value.Value, StringComparer.Ordinal);

    private static double State(GunNodeDelta? node) => node is null || node.Fields.Count == 0 ? 0 : node.Fields.Values.Max(f => f.State);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is { } loop) await loop;
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refreshing {Soul} failed: {Reason}")]
    private partial void LogRefreshFailed(string reason, string soul);
}
