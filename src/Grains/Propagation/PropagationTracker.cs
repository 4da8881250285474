using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Propagation;

/// <summary>
/// Counts this silo's propagation work per network, for quiescence detection: started before a message leaves or a
/// run is queued, finished when its reply (or failure) comes back or the run is done. A reply comes only after the
/// receiver has done its work and started whatever that work sends, so work is never finished before its
/// consequences are counted somewhere. Work caused by a network's input counts for that network, so waiting for one
/// network never waits for another's work. Also counted: search decisions waiting for quiescence, and changes
/// written behind that are not stored yet.
/// </summary>
public sealed partial class PropagationTracker(ILogger<PropagationTracker> logger)
{
    private readonly ConcurrentDictionary<string, NetworkCounters> _networks = new(StringComparer.Ordinal);

    /// <summary>Tells restarts apart: counters start again from zero in a new incarnation.</summary>
    public string Incarnation { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The counters of one network (kept for the silo's life: a handful of longs per network).</summary>
    public NetworkCounters For(string network) => _networks.GetOrAdd(network, static _ => new NetworkCounters());

    public PropagationCounters Read(string machine, string network)
    {
        if (!_networks.TryGetValue(network, out var counters)) return new PropagationCounters(machine, Incarnation, 0, 0);
        // Finished first: read in this order, a balanced pair never hides work started in between.
        var finished = Interlocked.Read(ref counters.Finished);
        var started = Interlocked.Read(ref counters.Started);
        return new PropagationCounters(machine, Incarnation, started, finished, Interlocked.Read(ref counters.PendingDecisions), Interlocked.Read(ref counters.PendingWrites));
    }

    /// <summary>
    /// Sends a propagation message without waiting for it: the sender never waits on its receivers, so
    /// cycles in the network cannot deadlock. Failures are logged; the message's effects are recovered by
    /// the receiver's catch-up (a propagator reads its inputs' current values whenever it runs).
    /// </summary>
    public void Send(string network, Func<Task> message, string description) => Send(For(network), message, description);

    /// <summary>A message whose effects several networks wait for: it counts for each of them.</summary>
    public void Send(IReadOnlyList<NetworkCounters> networks, Func<Task> message, string description)
    {
        if (networks.Count == 1)
        {
            Send(networks[0], message, description);
            return;
        }
        foreach (var counters in networks) Interlocked.Increment(ref counters.Started);
        Task sent;
        try
        {
            sent = message();
        }
        catch (Exception error)
        {
            foreach (var counters in networks) Interlocked.Increment(ref counters.Finished);
            LogSendFailed(error, description);
            return;
        }
        sent.ContinueWith(
            static (task, state) =>
            {
                var (tracker, networks, what) = ((PropagationTracker, IReadOnlyList<NetworkCounters>, string))state!;
                if (task.Exception is { } error) tracker.LogSendFailed(error.GetBaseException(), what);
                foreach (var counters in networks) Interlocked.Increment(ref counters.Finished);
            },
            (this, networks, description), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Send(NetworkCounters counters, Func<Task> message, string description)
    {
        Interlocked.Increment(ref counters.Started);
        Task sent;
        try
        {
            sent = message();
        }
        catch (Exception error)
        {
            Interlocked.Increment(ref counters.Finished);
            LogSendFailed(error, description);
            return;
        }
        if (sent.IsCompletedSuccessfully)
        {
            Interlocked.Increment(ref counters.Finished);
            return;
        }
        sent.ContinueWith(
            static (task, state) =>
            {
                var (tracker, counters, what) = ((PropagationTracker, NetworkCounters, string))state!;
                if (task.Exception is { } error) tracker.LogSendFailed(error.GetBaseException(), what);
                Interlocked.Increment(ref counters.Finished);
            },
            (this, counters, description), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Propagation message {Description} failed")]
    private partial void LogSendFailed(Exception error, string description);
}

/// <summary>One network's counters on this silo. Fields so they can be incremented in place.</summary>
public sealed class NetworkCounters
{
    public long Started;
    public long Finished;
    public long PendingDecisions;
    public long PendingWrites;

    public void Start() => Interlocked.Increment(ref Started);

    public void Finish() => Interlocked.Increment(ref Finished);
}
