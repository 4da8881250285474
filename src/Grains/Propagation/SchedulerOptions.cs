namespace OrleansSync.Grains.Propagation;

/// <summary>The silo-local propagation scheduler (configuration section <c>OrleansSync:Propagation</c>).</summary>
public sealed class SchedulerOptions
{
    public const string Section = "OrleansSync:Propagation";

    /// <summary>Threads that run propagators on this silo; 0 means one per processor.</summary>
    public int Workers { get; set; }

    /// <summary>At most this many written-behind cells are stored at once (SQLite commits them together).</summary>
    public int WriteBatch { get; set; } = 256;

    /// <summary>
    /// Written-behind cells wait until this silo has run no propagator for this long, so storing does not compete with a
    /// burst of propagation for the processors ...
    /// </summary>
    public TimeSpan WriteWhenIdleFor { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>... or until the oldest of them has waited this long, so a steady load still stores.</summary>
    public TimeSpan WriteAtLatest { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>While propagation is still running here, written-behind cells are stored this many at a time.</summary>
    public int WriteBatchWhileBusy { get; set; } = 32;

    /// <summary>At most this many wakes go to another machine in one message.</summary>
    public int WakeBatch { get; set; } = 512;
}
