using Orleans.Concurrency;

namespace OrleansSync.Cells;

/// <summary>A backend service's callback for the cells it subscribed to.</summary>
[Alias("OrleansSync.ICellObserver")]
public interface ICellObserver : IGrainObserver
{
    // One-way: a slow or vanished subscriber must never hold up the cell that notifies it.
    [OneWay, Alias("CellChanged")]
    Task CellChanged(CellChange change);
}
