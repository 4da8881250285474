using System.Collections.Concurrent;
using OrleansSync.Gun;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// Routes subscribers' acks back to writers, as gun's relay does (<c>lib/axe.js</c>): the writer's put id is
/// remembered with its connection, and every push this gateway sends on behalf of a write is remembered with
/// the write's origin, so an ack of the push (<c>{"@":pushId,"ok":...}</c>) goes to the writer's gateway, which
/// hands it to the writer as an ack of its put. Entries live 30 s (gun's ack listeners live 9 s).
/// </summary>
public sealed class AckRoutes(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (GunPeer Writer, long At)> _writers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (GunWriteOrigin Origin, long At)> _pushes = new(StringComparer.Ordinal);
    private long _nextSweep;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public void RememberWriter(string putId, GunPeer writer)
    {
        Sweep();
        _writers[putId] = (writer, Now);
    }

    public void RememberPush(string pushId, GunWriteOrigin origin) => _pushes[pushId] = (origin, Now);

    public bool TryFindOrigin(string pushId, out GunWriteOrigin origin)
    {
        var found = _pushes.TryGetValue(pushId, out var entry);
        origin = entry.Origin;
        return found;
    }

    /// <summary>Gives an ack from a subscriber to the writer, if it is still connected here.</summary>
    public bool DeliverToWriter(string putId, string ok) =>
        _writers.TryGetValue(putId, out var writer) && writer.Writer.Send(Protocol.GunReplies.Ack(putId, ok));

    public int Count => _writers.Count + _pushes.Count;

    /// <summary>Forgets routes older than their lifetime (checked at most every 5 s).</summary>
    public void Sweep()
    {
        var now = Now;
        if (now < Interlocked.Read(ref _nextSweep)) return;
        Interlocked.Exchange(ref _nextSweep, now + 5_000);
        var cutoff = now - (long)Lifetime.TotalMilliseconds;
        foreach (var (id, entry) in _writers) if (entry.At < cutoff) _writers.TryRemove(id, out _);
        foreach (var (id, entry) in _pushes) if (entry.At < cutoff) _pushes.TryRemove(id, out _);
    }
}
