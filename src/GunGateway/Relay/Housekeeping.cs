using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Hosting;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// Forgets expired message ids and ack routes even when no traffic arrives to trigger it, so an idle gateway
/// gives back what a burst took. After a large sweep it asks the runtime for an optimized full collection: with
/// no allocations after a burst, nothing else would run one, and the process would keep its peak size; the
/// collection is aggressive and native memory is trimmed too (<see cref="ProcessMemory"/>), so the memory goes back
/// to the system.
/// </summary>
public sealed partial class Housekeeping(GunRelay relay, AckRoutes acks, TimeProvider clock, ILogger<Housekeeping> logger) : BackgroundService
{
    private const int LargeSweep = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var before = relay.Dedup.Count + acks.Count;
            relay.Dedup.Sweep(clock.GetUtcNow().ToUnixTimeMilliseconds());
            acks.Sweep();
            var swept = before - relay.Dedup.Count - acks.Count;
            if (swept < LargeSweep) continue;
            LogSwept(swept);
            ProcessMemory.Trim();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} expired message ids and ack routes")]
    private partial void LogSwept(int count);
}
