using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// Makes the process size follow the working set. When idle collection has deactivated many grains (at least
/// half of the peak, and <see cref="MemoryTrimOptions.MinReleasedActivations"/>), the memory they used is free
/// inside the GC heap but still committed, so the process stays at its peak size. One aggressive, compacting
/// collection then returns the free memory to the operating system, and idle pooled database connections
/// give back their page caches. It runs only after such a drop, never under load.
/// </summary>
public sealed partial class IdleMemoryTrimmer(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<MemoryTrimOptions> options,
    ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(settings.Interval);
        var peak = 0;
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
            if (peak - count < settings.MinReleasedActivations || count > peak / 2) continue;
            var before = Environment.WorkingSet;
            // Idle pooled connections hold SQLite page caches (native memory); they reopen on demand.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            TrimNativeHeap();
            var heap = GC.GetGCMemoryInfo(GCKind.Any);
            LogTrimmed(peak, count, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024), heap.HeapSizeBytes / (1024 * 1024), heap.TotalCommittedBytes / (1024 * 1024));
            peak = count;
        }
    }

    /// <summary>glibc keeps freed native memory (SQLite's caches, the runtime's own) for reuse; malloc_trim hands it back.</summary>
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (musl, for one): nothing to trim this way.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activations fell from {Peak} to {Count}: returned free memory to the system, working set {BeforeMb} MB -> {AfterMb} MB (GC heap {HeapMb} MB live, {CommittedMb} MB committed)")]
    private partial void LogTrimmed(int peak, int count, long beforeMb, long afterMb, long heapMb, long committedMb);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the activation count for memory trimming")]
    private partial void LogCountFailed(Exception error);
}
