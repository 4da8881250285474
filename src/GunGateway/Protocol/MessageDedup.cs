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
    // ConcurrentDictionary.Count takes every lock of the table; this is checked on every message.
    private int _count;

    /// <summary>True the first time an id is offered within the window.</summary>
    public bool FirstTime(string id, long nowMs)
    {
        Sweep(nowMs);
        if (!_seen.TryAdd(id, nowMs)) return false;
        Interlocked.Increment(ref _count);
        _order.Enqueue((id, nowMs));
        return true;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Forgets ids older than the window (also done on every offer).</summary>
    public void Sweep(long nowMs)
    {
        while (_order.TryPeek(out var oldest) && (nowMs - oldest.At > window.TotalMilliseconds || Count > capacity))
        {
            if (!_order.TryDequeue(out oldest)) break;
            if (_seen.TryRemove(KeyValuePair.Create(oldest.Id, oldest.At))) Interlocked.Decrement(ref _count);
        }
    }
}
