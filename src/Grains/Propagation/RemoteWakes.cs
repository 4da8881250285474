using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Propagation;

/// <summary>
/// Wakes for propagators on other machines, one message per machine for all the readers one cell change wakes there
/// (a fan-out of a thousand readers on another machine is one message, or a few of <c>WakeBatch</c>). Sent at once
/// from the thread that changed the cell, without waiting for the answer, so the next hop on the other machine starts
/// as soon as the message arrives. Each batch counts as its network's work until the agent answers, which it does
/// only after queueing every wake there.
/// </summary>
public sealed partial class RemoteWakes(IGrainFactory grains, IOptions<SchedulerOptions> options, ILogger<RemoteWakes> logger)
{
    public void Send(string machine, List<Wake> wakes, NetworkCounters counters, bool expectDown = false)
    {
        var agent = grains.GetGrain<IMachineAgentGrain>(machine);
        var limit = Math.Max(1, options.Value.WakeBatch);
        for (var start = 0; start < wakes.Count; start += limit)
        {
            IReadOnlyList<Wake> batch = start == 0 && wakes.Count <= limit ? wakes : wakes.GetRange(start, Math.Min(limit, wakes.Count - start));
            counters.Start();
            GrainMetrics.RemoteWakeMessages.Add(1);
            GrainMetrics.RemoteWakes.Add(batch.Count);
            Task sent;
            try
            {
                sent = agent.Deliver(batch);
            }
            catch (Exception error)
            {
                counters.Finish();
                Failed(error, batch.Count, machine, expectDown);
                continue;
            }
            sent.ContinueWith(
                static (task, state) =>
                {
                    var (owner, counters, count, machine, expectDown) = ((RemoteWakes, NetworkCounters, int, string, bool))state!;
                    // The machine went away: its propagators catch up from current values when it returns.
                    if (task.Exception is { } error) owner.Failed(error.GetBaseException(), count, machine, expectDown);
                    counters.Finish();
                },
                (this, counters, batch.Count, machine, expectDown), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Failed(Exception error, int count, string machine, bool expectDown)
    {
        if (expectDown) LogDeliveryToDownMachineFailed(count, machine);
        else LogDeliveryFailed(error, count, machine);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering {Count} wakes to machine {Machine} failed")]
    private partial void LogDeliveryFailed(Exception error, int count, string machine);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} wakes for machine {Machine}, which is down, were not delivered; it catches up when it returns")]
    private partial void LogDeliveryToDownMachineFailed(int count, string machine);
}
