using System.Runtime.InteropServices;

namespace OrleansSync.Hosting;

/// <summary>
/// Gives memory a burst used back to the operating system, for both hosts (silo and gateway) once their working
/// set shrank. After a burst the GC keeps freed memory committed and glibc keeps freed native memory for reuse,
/// so without this the process stays at its peak size however little it holds.
/// </summary>
public static class ProcessMemory
{
    /// <summary>One aggressive, compacting, blocking collection (it decommits free memory), then glibc's malloc_trim.</summary>
    public static void Trim()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl, for one): nothing to trim this way.
        }
    }

    /// <summary>
    /// Trim only after a real drop — at least <paramref name="minReleased"/> fewer than the peak and at most half of it —
    /// and once the working set stopped growing: it was already down at the <paramref name="previous"/> look and has not
    /// grown since. A wave of idle collection in the middle of a sustained load is followed by growth, so it does not
    /// trigger a blocking collection of a large live heap.
    /// </summary>
    public static bool ShouldTrim(long peak, long previous, long current, long minReleased) =>
        peak - current >= minReleased && previous <= peak / 2 && current <= previous;

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
