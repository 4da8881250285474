using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Hosting;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// Forgets expired message ids and ack routes even when no traffic arrives to trigger it, so an idle gateway
/// gives back what a burst took. Once what it remembers fell to half of its peak and stopped growing (the burst is
/// over, not merely sweeping at a steady rate), it trims the process (<see cref="ProcessMemory"/>): with no
/// allocations after a burst nothing else would run a collection, and the process would keep its peak size.
/// </summary>
public sealed partial class Housekeeping(GunRelay relay, AckRoutes acks, TimeProvider clock, ILogger<Housekeeping> logger) : BackgroundService
{
    private const int LargeSweep = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), clock);
        long peak = 0, previous = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            peak = Math.Max(peak, relay.Dedup.Count + acks.Count);
            relay.Dedup.Sweep(clock.GetUtcNow().ToUnixTimeMilliseconds());
            acks.Sweep();
            var remembered = relay.Dedup.Count + acks.Count;
            var settled = ProcessMemory.ShouldTrim(peak, previous, remembered, LargeSweep);
            previous = remembered;
            if (!settled) continue;
            LogSwept(peak - remembered);
            ProcessMemory.Trim();
            peak = remembered;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} expired message ids and ack routes; trimmed memory")]
    private partial void LogSwept(long count);
}
