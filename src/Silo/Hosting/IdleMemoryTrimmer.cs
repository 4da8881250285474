using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Hosting;
using OrleansSync.Silo.Sqlite;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// Makes the process size follow the working set. When idle collection has deactivated many grains (at least
/// half of the peak, and <see cref="MemoryTrimOptions.MinReleasedActivations"/>), the memory they used is free
/// inside the GC heap but still committed, so the process stays at its peak size. One aggressive, compacting
/// collection then returns the free memory to the operating system, and idle pooled database connections
/// give back their page caches. It runs only after such a drop, once the count has stopped growing (two looks in a
/// row), so a wave of idle collection in the middle of a sustained load does not set off a blocking collection.
/// </summary>
public sealed partial class IdleMemoryTrimmer(
    IGrainFactory grains,
    IServiceProvider services,
    ILocalSiloDetails silo,
    IOptions<MemoryTrimOptions> options,
    ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(settings.Interval);
        int peak = 0, previous = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            int count;
            try
            {
                var statistics = await grains.GetGrain<IManagementGrain>(0).GetRuntimeStatistics([silo.SiloAddress]);
                count = statistics[0].ActivationCount;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The silo may still be starting or already stopping; the next tick tries again.
                LogCountFailed(error);
                continue;
            }
            peak = Math.Max(peak, count);
            var settled = ProcessMemory.ShouldTrim(peak, previous, count, settings.MinReleasedActivations);
            previous = count;
            if (!settled) continue;
            var before = Environment.WorkingSet;
            // Idle connections hold SQLite page caches (native memory); they reopen on demand. The storage's reader
            // connections go back to the pool when released, and are closed with it.
            services.GetService<SqliteDataSource>()?.ReleaseIdleConnections();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
            ProcessMemory.Trim();
            var heap = GC.GetGCMemoryInfo(GCKind.Any);
            LogTrimmed(peak, count, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024), heap.HeapSizeBytes / (1024 * 1024), heap.TotalCommittedBytes / (1024 * 1024));
            peak = count;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Activations fell from {Peak} to {Count}: returned free memory to the system, working set {BeforeMb} MB -> {AfterMb} MB (GC heap {HeapMb} MB live, {CommittedMb} MB committed)")]
    private partial void LogTrimmed(int peak, int count, long beforeMb, long afterMb, long heapMb, long committedMb);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the activation count for memory trimming")]
    private partial void LogCountFailed(Exception error);
}
