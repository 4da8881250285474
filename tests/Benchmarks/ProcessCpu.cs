using System.Diagnostics;

namespace OrleansSync.Benchmarks;

/// <summary>
/// CPU time used by relay processes. On a 2-core machine shared with the benchmark's own clients, throughput moves with
/// whatever else runs; the CPU a relay spends per put is the steadier figure to compare.
/// </summary>
public static class ProcessCpu
{
    public static TimeSpan Total(params int[] pids) =>
        pids.Aggregate(TimeSpan.Zero, (sum, pid) =>
        {
            using var process = Process.GetProcessById(pid);
            return sum + process.TotalProcessorTime;
        });

    /// <summary>Runs <paramref name="work"/> and returns its result with the CPU milliseconds the processes spent per put.</summary>
    public static async Task<(T Result, double MsPerPut)> Measure<T>(Func<Task<T>> work, int puts, params int[] pids)
    {
        var before = Total(pids);
        var result = await work();
        return (result, (Total(pids) - before).TotalMilliseconds / puts);
    }
}
