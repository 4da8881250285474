namespace OrleansSync.Silo.Hosting;

/// <summary>When the silo gives memory back after idle grains were collected (<see cref="IdleMemoryTrimmer"/>).</summary>
public sealed class MemoryTrimOptions
{
    public const string Section = "OrleansSync:MemoryTrim";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the activation count is looked at.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Trim once at least this many activations were collected since the peak (or the last trim), and at least half
    /// of them. An aggressive collection of an idle heap takes tens of milliseconds; it happens at most once per interval.
    /// </summary>
    public int MinReleasedActivations { get; set; } = 1_000;
}
