using System.Threading.Channels;
using OrleansSync.Cells;

namespace OrleansSync.Tests.Cluster;

/// <summary>Collects cell changes and lets a test wait for one, with a timeout instead of a sleep.</summary>
public sealed class ChangeRecorder
{
    private readonly Channel<CellChange> _changes = Channel.CreateUnbounded<CellChange>();
    private readonly List<CellChange> _seen = [];

    public Task Record(CellChange change)
    {
        _changes.Writer.TryWrite(change);
        return Task.CompletedTask;
    }

    public IReadOnlyList<CellChange> Seen { get { lock (_seen) return [.. _seen]; } }

    /// <summary>Waits for a change of <paramref name="cellId"/> at <paramref name="version"/> or later.</summary>
    public async Task<CellChange> WaitFor(string cellId, long version, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        lock (_seen)
        {
            var known = _seen.FirstOrDefault(c => c.CellId == cellId && c.Version >= version);
            if (known is not null) return known;
        }
        try
        {
            while (true)
            {
                var change = await _changes.Reader.ReadAsync(cts.Token);
                lock (_seen) _seen.Add(change);
                if (change.CellId == cellId && change.Version >= version) return change;
            }
        }
        catch (OperationCanceledException)
        {
            var seen = Seen;
            var ofCell = seen.Where(c => c.CellId == cellId).Select(c => $"@{c.Version}");
            throw new TimeoutException($"No change of {cellId} at version {version} arrived; of it saw [{string.Join(", ", ofCell)}], of all cells {seen.Count} changes");
        }
    }

    /// <summary>Everything that has arrived so far, without waiting.</summary>
    public IReadOnlyList<CellChange> Drain()
    {
        lock (_seen)
        {
            while (_changes.Reader.TryRead(out var change)) _seen.Add(change);
            return [.. _seen];
        }
    }
}
