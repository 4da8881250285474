namespace OrleansSync.Cells;

/// <summary>
/// Client side of selective subscription for a backend service: one observer for the set of cells the
/// service cares about, renewed well before each lease ends. Renewal is what makes a subscription
/// outlive a silo failure: even if a cell's activation is lost, the next renewal re-registers it
/// (the pattern of GPSTracker's HubListUpdater). Changes arrive in order per cell (<see cref="CellStamp"/>); stale and
/// repeated notifications are dropped here.
/// </summary>
public sealed class CellSubscriber : IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly Func<CellChange, Task> _onChange;
    private readonly Action<string, Exception>? _onRenewalError;
    private readonly Forwarder _forwarder;
    private readonly ICellObserver _reference;
    private readonly Dictionary<string, CellStamp> _stamps = [];
    private readonly HashSet<string> _cells = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _renewals;
    private TimeSpan _renewEvery;

    public CellSubscriber(IGrainFactory grains, Func<CellChange, Task> onChange, TimeSpan? renewEvery = null, Action<string, Exception>? onRenewalError = null)
    {
        _grains = grains;
        _onChange = onChange;
        _onRenewalError = onRenewalError;
        _renewEvery = renewEvery ?? TimeSpan.FromSeconds(30);
        _forwarder = new Forwarder(this);
        _reference = grains.CreateObjectReference<ICellObserver>(_forwarder);
        _renewals = RenewLoop(_stopping.Token);
    }

    public IReadOnlyCollection<string> Cells { get { lock (_gate) return [.. _cells]; } }

    /// <summary>
    /// Subscribes to a cell and returns its current snapshot: never older than a change already delivered for it,
    /// so a caller that answers with the snapshot after forwarding changes does not answer with older data.
    /// </summary>
    public async Task<CellSnapshot> SubscribeAsync(string cellId)
    {
        // Listed before the grain registers us: its first change can arrive before the grant does.
        bool added;
        lock (_gate) added = _cells.Add(cellId);
        SubscriptionGrant grant;
        try
        {
            grant = await _grains.GetGrain<ICellGrain>(cellId).Subscribe(_reference);
        }
        catch
        {
            if (added) lock (_gate) _cells.Remove(cellId);
            throw;
        }
        bool behind;
        lock (_gate)
        {
            behind = !Observe(cellId, grant.Snapshot.Metadata.Stamp) && _stamps[cellId] > grant.Snapshot.Metadata.Stamp;
            // Renew at a third of the shortest lease so two renewals can fail before one expires.
            if (grant.Lease / 3 < _renewEvery) _renewEvery = grant.Lease / 3;
        }
        // A change delivered meanwhile is stored; reading again returns it or something newer.
        return behind ? await _grains.GetGrain<ICellGrain>(cellId).GetSnapshot() : grant.Snapshot;
    }

    public async Task UnsubscribeAsync(string cellId)
    {
        lock (_gate) _cells.Remove(cellId);
        await _grains.GetGrain<ICellGrain>(cellId).Unsubscribe(_reference);
    }

    /// <summary>Renews every subscription now (also done periodically).</summary>
    public async Task RenewAsync()
    {
        foreach (var cellId in Cells)
        {
            try
            {
                var grant = await _grains.GetGrain<ICellGrain>(cellId).Subscribe(_reference);
                var metadata = grant.Snapshot.Metadata;
                await DeliverIfNewer(new CellChange(cellId, metadata.Version, grant.Snapshot.Strongest, metadata.UpdatedAt, metadata.Incarnation));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                _onRenewalError?.Invoke(cellId, error);
            }
        }
    }

    private async Task RenewLoop(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(_renewEvery, stopping);
                await RenewAsync();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private bool Observe(string cellId, CellStamp stamp)
    {
        if (_stamps.TryGetValue(cellId, out var seen) && seen >= stamp) return false;
        _stamps[cellId] = stamp;
        return true;
    }

    private Task DeliverIfNewer(CellChange change)
    {
        lock (_gate)
        {
            if (!_cells.Contains(change.CellId) || !Observe(change.CellId, change.Stamp)) return Task.CompletedTask;
        }
        return _onChange(change);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _renewals;
        foreach (var cellId in Cells)
        {
            try { await UnsubscribeAsync(cellId); }
            catch (Exception error) { _onRenewalError?.Invoke(cellId, error); }
        }
        _grains.DeleteObjectReference<ICellObserver>(_reference);
        _stopping.Dispose();
    }

    // The object the runtime calls; kept as a field because CreateObjectReference holds it only weakly.
    private sealed class Forwarder(CellSubscriber owner) : ICellObserver
    {
        public Task CellChanged(CellChange change) => owner.DeliverIfNewer(change);
    }
}
