namespace OrleansSync.Grains.Compaction;

/// <summary>The first <paramref name="limit"/> ids added, from parallel steps: a bounded record of what a compaction did.</summary>
internal sealed class IdSample(int limit)
{
    private readonly List<string> _ids = [];
    private readonly Lock _gate = new();

    public void Add(string id)
    {
        lock (_gate)
            if (_ids.Count < limit) _ids.Add(id);
    }

    public IReadOnlyList<string> ToList()
    {
        lock (_gate) return [.. _ids];
    }
}
