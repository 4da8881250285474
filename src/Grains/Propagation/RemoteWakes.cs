using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Machines;

namespace OrleansSync.Grains.Propagation;

/// <summary>
/// Wakes for propagators on other machines, sent in batches: one message to the machine's agent carries every wake
/// queued for it at that moment. A lone wake waits for nothing; under load the batches grow by themselves (what
/// arrives while one is in flight makes the next). Each wake counts as its network's work until the batch is answered,
/// which the agent does only after queueing each wake there.
/// </summary>
public sealed partial class RemoteWakes(IGrainFactory grains, IOptions<SchedulerOptions> options, ILogger<RemoteWakes> logger)
{
    private readonly ConcurrentDictionary<string, Outbox> _outboxes = new(StringComparer.Ordinal);

    public void Add(string machine, Wake wake, NetworkCounters counters)
    {
        counters.Start();
        var outbox = _outboxes.GetOrAdd(machine, static m => new Outbox(m));
        outbox.Items.Enqueue((wake, counters));
        if (outbox.TryClaim()) ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Owner.Flush(state.Outbox), (Owner: this, Outbox: outbox), preferLocal: false);
    }

    private async Task Flush(Outbox outbox)
    {
        var agent = grains.GetGrain<IMachineAgentGrain>(outbox.Machine);
        var limit = Math.Max(1, options.Value.WakeBatch);
        while (true)
        {
            var batch = new List<(Wake Wake, NetworkCounters Counters)>();
            while (batch.Count < limit && outbox.Items.TryDequeue(out var item)) batch.Add(item);
            if (batch.Count == 0)
            {
                outbox.Release();
                // An item queued after the last look but before the release found the outbox claimed: look again.
                if (outbox.Items.IsEmpty || !outbox.TryClaim()) return;
                continue;
            }
            try
            {
                await agent.Deliver([.. batch.Select(b => b.Wake)]);
            }
            catch (Exception error)
            {
                // The machine went away: its propagators catch up from current values when it returns.
                LogDeliveryFailed(error, batch.Count, outbox.Machine);
            }
            finally
            {
                foreach (var (_, counters) in batch) counters.Finish();
            }
        }
    }

    private sealed class Outbox(string machine)
    {
        private int _claimed;

        public string Machine { get; } = machine;

        public ConcurrentQueue<(Wake, NetworkCounters)> Items { get; } = new();

        public bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

        public void Release() => Volatile.Write(ref _claimed, 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering {Count} wakes to machine {Machine} failed")]
    private partial void LogDeliveryFailed(Exception error, int count, string machine);
}
