namespace OrleansSync.Gun;

/// <summary>
/// Gun deletes by writing <c>null</c>: the key stays, with its state, so that peers which still hold the old
/// value learn of the deletion (and an older write cannot bring it back). Gun keeps such tombstones forever;
/// we keep them for a retention, long enough for peers to resync, and compaction then forgets them.
/// </summary>
public static class GunTombstones
{
    /// <summary>The stored value text of a tombstone.</summary>
    public const string Null = "null";

    /// <summary>The Gun state (Unix milliseconds) before which tombstones may be forgotten.</summary>
    public static double Cutoff(DateTimeOffset now, TimeSpan retention) => (now - retention).ToUnixTimeMilliseconds();
}
