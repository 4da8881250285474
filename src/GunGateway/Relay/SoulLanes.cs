namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// One connection's order: a message starts once the connection's earlier messages on any of the same souls have
/// finished, so a get sees the puts sent before it and of two puts to one soul the later is applied later. Messages
/// on other souls run at once, side by side. What is remembered is bounded by the messages in flight.
/// </summary>
public sealed class SoulLanes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> after the earlier work of this connection on <paramref name="souls"/>.</summary>
    public Task Run(IReadOnlyList<string> souls, Func<Task> work)
    {
        if (souls.Count == 0) return Task.Run(work);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task[] before;
        lock (_gate)
        {
            before = Tails(souls);
            foreach (var soul in souls) _tails[soul] = done.Task;
        }
        return Task.Run(async () =>
        {
            try
            {
                // The tails only ever complete successfully (below), so this never throws.
                if (before.Length > 0) await Task.WhenAll(before);
                await work();
            }
            finally
            {
                lock (_gate)
                {
                    foreach (var soul in souls)
                        if (_tails.TryGetValue(soul, out var tail) && tail == done.Task) _tails.Remove(soul);
                }
                done.SetResult();
            }
        });
    }

    /// <summary>The distinct unfinished work of <paramref name="souls"/> (under the lock); most messages name one soul.</summary>
    private Task[] Tails(IReadOnlyList<string> souls)
    {
        if (souls.Count == 1) return _tails.TryGetValue(souls[0], out var tail) ? [tail] : [];
        var tails = new HashSet<Task>();
        foreach (var soul in souls)
            if (_tails.TryGetValue(soul, out var tail)) tails.Add(tail);
        return [.. tails];
    }
}
