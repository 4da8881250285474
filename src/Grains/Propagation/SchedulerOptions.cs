namespace OrleansSync.Grains.Propagation;

/// <summary>The silo-local propagation scheduler (configuration section <c>OrleansSync:Propagation</c>).</summary>
public sealed class SchedulerOptions
{
    public const string Section = "OrleansSync:Propagation";

    /// <summary>Threads that run propagators on this silo; 0 means one per processor.</summary>
    public int Workers { get; set; }

    /// <summary>At most this many written-behind cells are stored at once (SQLite commits them together).</summary>
    public int WriteBatch { get; set; } = 256;

    /// <summary>At most this many wakes go to another machine in one message.</summary>
    public int WakeBatch { get; set; } = 512;
}
