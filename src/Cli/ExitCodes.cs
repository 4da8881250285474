namespace OrleansSync.Cli;

/// <summary>What the CLI's exit status means, so scripts can tell a refused request from a cluster that is not there.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The cluster answered with an error (e.g. a cell that refuses to be deleted, compaction on in-memory storage).</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong: an unknown command or option, a value that does not parse.</summary>
    public const int Usage = 2;

    /// <summary>No silo of the cluster could be reached, or the silo a request needed has just gone down.</summary>
    public const int Unreachable = 3;

    /// <summary>What was waited for did not happen in time (quiescence, a compaction).</summary>
    public const int Timeout = 4;
}
