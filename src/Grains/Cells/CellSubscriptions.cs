using OrleansSync.Cells;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// A cell's subscribers and their leases. Subscribers are stored with the cell (by observer id), so a cell
/// re-activated after a silo failure keeps notifying; a lease that was not renewed ends lazily, at the next
/// notification, and needs no write of its own. Thread-safe: notifications come from whichever thread changed the cell.
/// </summary>
public sealed class CellSubscriptions(IGrainFactory grains, TimeSpan lease, Action<Exception, string> badEntry, Action<Exception, GrainId> notifyFailed)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<GrainId, DateTimeOffset> _until = [];
    private readonly Dictionary<GrainId, ICellObserver> _observers = [];

    public TimeSpan Lease => lease;

    public int Count
    {
        get
        {
            lock (_gate) return _observers.Count;
        }
    }

    /// <summary>Loads stored subscribers, each with a fresh lease; an unreadable id is dropped rather than failing the cell.</summary>
    public void Restore(IEnumerable<string> stored)
    {
        var until = DateTimeOffset.UtcNow + lease;
        lock (_gate)
        {
            foreach (var id in stored)
            {
                try
                {
                    var grainId = GrainId.Parse(id);
                    _observers[grainId] = grains.GetGrain<ICellObserver>(grainId);
                    _until[grainId] = until;
                }
                catch (Exception error) when (error is FormatException or ArgumentException)
                {
                    badEntry(error, id);
                }
            }
        }
    }

    /// <summary>Adds or renews; true when the stored list must change (a new subscriber).</summary>
    public bool Add(ICellObserver observer)
    {
        var id = observer.GetGrainId();
        lock (_gate)
        {
            var isNew = !_observers.ContainsKey(id);
            _observers[id] = observer;
            _until[id] = DateTimeOffset.UtcNow + lease;
            return isNew;
        }
    }

    public bool Remove(ICellObserver observer)
    {
        var id = observer.GetGrainId();
        lock (_gate)
        {
            _until.Remove(id);
            return _observers.Remove(id);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _observers.Clear();
            _until.Clear();
        }
    }

    /// <summary>The ids to store, expired leases dropped.</summary>
    public List<string> Stored()
    {
        lock (_gate)
        {
            DropExpired();
            return [.. _observers.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal)];
        }
    }

    public void Notify(CellChange change)
    {
        ICellObserver[] observers;
        lock (_gate)
        {
            if (_observers.Count == 0) return;
            DropExpired();
            observers = [.. _observers.Values];
        }
        foreach (var observer in observers)
        {
            try
            {
                // One-way: a slow or vanished subscriber never holds up the cell.
                observer.CellChanged(change);
            }
            catch (Exception error)
            {
                notifyFailed(error, observer.GetGrainId());
            }
        }
    }

    private void DropExpired()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, until) in _until.ToArray())
        {
            if (until >= now) continue;
            _until.Remove(id);
            _observers.Remove(id);
        }
    }
}
