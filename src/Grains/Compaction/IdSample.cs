namespace OrleansSync.Grains.Compaction;

/// <summary>
/// Ids added from parallel steps: how many, and the first <paramref name="limit"/> of them — a bounded record of what a
/// compaction did.
/// </summary>
internal sealed class IdSample(int limit)
{
    private readonly List<string> _ids = [];
    private readonly Lock _gate = new();
    private long _count;

    public long Count
    {
        get { lock (_gate) return _count; }
    }

    public void Add(string id)
    {
        lock (_gate)
        {
            _count++;
            if (_ids.Count < limit) _ids.Add(id);
        }
    }

    public IReadOnlyList<string> ToList()
    {
        lock (_gate) return [.. _ids];
    }
}
