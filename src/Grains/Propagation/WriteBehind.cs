using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Grains.Cells;

namespace OrleansSync.Grains.Propagation;

/// <summary>
/// Stores derived cell contents behind the propagation: a changed cell is queued once, however often it changes
/// before its turn, and up to a batch of cells is written at once (SQLite's group commit makes that one transaction).
/// Derived contents are recomputable from what clients told, which was stored before it was acknowledged; after a
/// crash the machines catch their propagators up and recompute what was lost. Each network counts its cells waiting
/// here, so <c>WaitForQuiescence(durable: true)</c> can wait for them.
/// </summary>
public sealed partial class WriteBehind : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(200);

    private readonly Channel<LiveCell> _queue = Channel.CreateUnbounded<LiveCell>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly int _batch;
    private readonly int _busyBatch;
    private readonly TimeSpan _idleFor;
    private readonly TimeSpan _atLatest;
    private readonly LocalScheduler _scheduler;
    private readonly ILogger<WriteBehind> _logger;
    private volatile bool _stopping;

    public WriteBehind(LocalScheduler scheduler, IOptions<SchedulerOptions> options, ILogger<WriteBehind> logger)
    {
        _scheduler = scheduler;
        _batch = Math.Max(1, options.Value.WriteBatch);
        _busyBatch = Math.Clamp(options.Value.WriteBatchWhileBusy, 1, _batch);
        _idleFor = options.Value.WriteWhenIdleFor;
        _atLatest = options.Value.WriteAtLatest;
        _logger = logger;
        _loop = Task.Run(Loop);
    }

    public void MarkDirty(LiveCell cell, NetworkCounters counters)
    {
        if (cell.AddPendingWrite(counters)) Interlocked.Increment(ref counters.PendingWrites);
        if (cell.TryQueueForWrite() && !_queue.Writer.TryWrite(cell))
        {
            // Shutting down: the cell stores itself as it deactivates.
            foreach (var waiting in cell.BeginWrite()) Interlocked.Decrement(ref waiting.PendingWrites);
        }
    }

    private async Task Loop()
    {
        var reader = _queue.Reader;
        var batch = new List<LiveCell>(_batch);
        while (await reader.WaitToReadAsync())
        {
            var limit = await Quiet() ? _batch : _busyBatch;
            while (batch.Count < limit && reader.TryRead(out var cell)) batch.Add(cell);
            await Task.WhenAll(batch.Select(Write));
            batch.Clear();
        }
    }

    /// <summary>
    /// Waits until propagation on this silo pauses (true), or the oldest change has waited long enough (false: then
    /// stores in small batches, so a long burst of propagation keeps most of the processors).
    /// </summary>
    private async Task<bool> Quiet()
    {
        var since = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!_stopping)
        {
            var idle = System.Diagnostics.Stopwatch.GetElapsedTime(_scheduler.LastRun);
            if (idle >= _idleFor && _scheduler.Queued == 0) return true;
            if (System.Diagnostics.Stopwatch.GetElapsedTime(since) >= _atLatest) return false;
            await Task.Delay(idle >= _idleFor ? TimeSpan.FromMilliseconds(1) : _idleFor - idle);
        }
        return true;
    }

    private async Task Write(LiveCell cell)
    {
        var waiting = cell.BeginWrite();
        try
        {
            await cell.FlushAsync();
        }
        catch (Exception error)
        {
            LogWriteFailed(error, cell.Id);
            // A closed or broken activation does not write again: its grain's next activation holds what storage has.
            if (!cell.Closed && !cell.Broken)
            {
                _ = Retry(cell, waiting);
                return;
            }
        }
        foreach (var counters in waiting) Interlocked.Decrement(ref counters.PendingWrites);
    }

    private async Task Retry(LiveCell cell, NetworkCounters[] waiting)
    {
        await Task.Delay(RetryAfter);
        foreach (var counters in waiting)
        {
            MarkDirty(cell, counters);
            Interlocked.Decrement(ref counters.PendingWrites);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing cell {CellId} behind failed; retrying")]
    private partial void LogWriteFailed(Exception error, string cellId);
}
