using Microsoft.Extensions.Logging;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Propagation;

/// <summary>
/// Counts this silo's propagation messages for quiescence detection: started before a message leaves,
/// finished when its reply (or failure) comes back. A reply comes only after the receiver has done its
/// work and started whatever messages that work sends, so a message is never finished before its
/// consequences are counted somewhere.
/// </summary>
public sealed partial class PropagationTracker(ILogger<PropagationTracker> logger)
{
    private long _started;
    private long _finished;

    /// <summary>Tells restarts apart: counters start again from zero in a new incarnation.</summary>
    public string Incarnation { get; } = Guid.NewGuid().ToString("N")[..12];

    public PropagationCounters Read(string machine)
    {
        // Finished first: read in this order, a balanced pair never hides a message started in between.
        var finished = Interlocked.Read(ref _finished);
        var started = Interlocked.Read(ref _started);
        return new PropagationCounters(machine, Incarnation, started, finished);
    }

    /// <summary>
    /// Sends a propagation message without waiting for it: the sender never waits on its receivers, so
    /// cycles in the network cannot deadlock. Failures are logged; the message's effects are recovered by
    /// the receiver's catch-up (a propagator reads its inputs' current values whenever it runs).
    /// </summary>
    public void Send(Func<Task> message, string description)
    {
        Interlocked.Increment(ref _started);
        Task sent;
        try
        {
            sent = message();
        }
        catch (Exception error)
        {
            Interlocked.Increment(ref _finished);
            LogSendFailed(error, description);
            return;
        }
        sent.ContinueWith(
            (task, state) =>
            {
                var (tracker, what) = ((PropagationTracker, string))state!;
                if (task.Exception is { } error) tracker.LogSendFailed(error.GetBaseException(), what);
                Interlocked.Increment(ref tracker._finished);
            },
            (this, description), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Propagation message {Description} failed")]
    private partial void LogSendFailed(Exception error, string description);
}
