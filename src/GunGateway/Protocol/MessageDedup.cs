using System.Collections.Concurrent;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// Remembers message ids for a while (gun keeps them ~9 s) so a message that arrives twice — through two
/// paths, or re-sent — is processed once. Bounded: the oldest ids go first when it is full.
/// </summary>
public sealed class MessageDedup(TimeSpan window, int capacity)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Id, long At)> _order = new();

    /// <summary>True the first time an id is offered within the window.</summary>
    public bool FirstTime(string id, long nowMs)
    {
        Sweep(nowMs);
        if (!_seen.TryAdd(id, nowMs)) return false;
        _order.Enqueue((id, nowMs));
        return true;
    }

    public int Count => _seen.Count;

    /// <summary>Forgets ids older than the window (also done on every offer).</summary>
    public void Sweep(long nowMs)
    {
        while (_order.TryPeek(out var oldest) && (nowMs - oldest.At > window.TotalMilliseconds || _seen.Count > capacity))
        {
            if (!_order.TryDequeue(out oldest)) break;
            _seen.TryRemove(KeyValuePair.Create(oldest.Id, oldest.At));
        }
    }
}
