namespace OrleansSync.Grains.Gun;

/// <summary>
/// The Gun nodes this silo holds an activation of, and the first writes made to nodes that it does not
/// (<see cref="GunNodeCreator"/>): the two never overlap for one soul. A create starts only while no activation holds
/// the soul, and an activation waits for the creates in flight on its soul before it reads anything, so a node never
/// holds in memory a "nothing stored" that a create has since made untrue.
/// </summary>
/// <remarks>
/// Covers one process: creates without an activation are made only where every Gun node is placed
/// (<see cref="GunNodePlacement"/>). Counts, not flags: an activation may begin before the one it replaces has ended.
/// A grain reports its end when deactivated or, if it never finished activating, when disposed; until then its soul
/// stays on the grain's path, the safe side.
/// </remarks>
public sealed class GunNodeActivations
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Creates> _creating = new(StringComparer.Ordinal);

    /// <summary>Souls with an activation here now (for tests and diagnostics).</summary>
    public int ActiveCount
    {
        get
        {
            lock (_lock) return _active.Count;
        }
    }

    /// <summary>Starts a create of <paramref name="soul"/>; false when an activation holds it (the write goes to the grain).</summary>
    public bool TryBeginCreate(string soul)
    {
        lock (_lock)
        {
            if (_active.ContainsKey(soul)) return false;
            if (_creating.TryGetValue(soul, out var creates)) creates.Count++;
            else _creating[soul] = new Creates();
            return true;
        }
    }

    /// <summary>Ends a create begun by <see cref="TryBeginCreate"/>, written or not.</summary>
    public void EndCreate(string soul)
    {
        TaskCompletionSource? ended = null;
        lock (_lock)
        {
            var creates = _creating[soul];
            if (--creates.Count > 0) return;
            _creating.Remove(soul);
            ended = creates.Ended;
        }
        ended?.TrySetResult();
    }

    /// <summary>An activation of <paramref name="soul"/> begins: completes once no create of it is in flight.</summary>
    public Task Activated(string soul)
    {
        lock (_lock)
        {
            _active[soul] = _active.GetValueOrDefault(soul) + 1;
            if (!_creating.TryGetValue(soul, out var creates)) return Task.CompletedTask;
            creates.Ended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return creates.Ended.Task;
        }
    }

    /// <summary>An activation of <paramref name="soul"/> has ended.</summary>
    public void Deactivated(string soul)
    {
        lock (_lock)
        {
            if (!_active.TryGetValue(soul, out var count)) return;
            if (count > 1) _active[soul] = count - 1;
            else _active.Remove(soul);
        }
    }

    private sealed class Creates
    {
        public int Count = 1;
        // Made only when an activation waits: most creates have nobody waiting for them.
        public TaskCompletionSource? Ended;
    }
}
