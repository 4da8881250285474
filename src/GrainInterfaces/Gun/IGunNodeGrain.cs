using Orleans.Concurrency;

namespace OrleansSync.Gun;

/// <summary>
/// One Gun node (soul) with its keys and states, persisted in the same storage as cells, loaded lazily
/// and deactivated when idle. It resolves writes with HAM and pushes the keys that won to subscribed gateways.
/// </summary>
[Alias("OrleansSync.IGunNodeGrain")]
public interface IGunNodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a write by HAM; returns once the keys that won (and deferred ones) are stored. The origin,
    /// when given, travels with the push so subscribers' acks can find their way back to the writer.
    /// </summary>
    [Alias("Put")]
    Task<GunPutResult> Put(GunNodeDelta delta, GunWriteOrigin? origin = null);

    /// <summary>The whole node, or null if nothing was ever written to it.</summary>
    [AlwaysInterleave, Alias("Get")]
    Task<GunNodeDelta?> Get();

    /// <summary>Subscribes (or renews) a gateway for a lease; returns the node as it is now.</summary>
    [Alias("Subscribe")]
    Task<GunNodeDelta?> Subscribe(IGunNodeObserver observer, TimeSpan lease);

    [Alias("Unsubscribe")]
    Task Unsubscribe(IGunNodeObserver observer);

    /// <summary>
    /// Compaction: forgets <c>null</c> tombstones whose state is older than <paramref name="cutoffState"/> (Gun
    /// milliseconds). A node left with no field and no pending write has its row deleted.
    /// </summary>
    [Alias("RemoveTombstones")]
    Task<GunTombstoneRemoval> RemoveTombstones(double cutoffState);
}

/// <summary>What removing old tombstones did to one node.</summary>
[GenerateSerializer, Immutable, Alias("os.gun-tombstone-removal")]
public sealed record GunTombstoneRemoval([property: Id(0)] int Removed, [property: Id(1)] bool NodeDeleted);

/// <summary>A gateway listening to nodes: one per gateway process, which fans out to its own connections.</summary>
[Alias("OrleansSync.IGunNodeObserver")]
public interface IGunNodeObserver : IGrainObserver
{
    [OneWay, Alias("NodeChanged")]
    void NodeChanged(GunNodeDelta change, GunWriteOrigin? origin);

    /// <summary>A subscriber (on some gateway) acknowledged the push of a write this gateway received.</summary>
    [OneWay, Alias("SubscriberAck")]
    void SubscriberAck(string putId, string ok);
}

/// <summary>Where a write came from: the writer's gateway and the id of its put message.</summary>
[GenerateSerializer, Immutable, Alias("os.gun-origin")]
public sealed record GunWriteOrigin([property: Id(0)] IGunNodeObserver Gateway, [property: Id(1)] string PutId);
