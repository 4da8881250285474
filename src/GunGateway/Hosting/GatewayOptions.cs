namespace OrleansSync.GunGateway.Hosting;

/// <summary>The gateway's settings (configuration section <c>OrleansSync:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "OrleansSync:Gateway";

    /// <summary>Read by the silo: set, the silo hosts the relay and the web view itself (the single-machine default of run.sh).</summary>
    public const string InSiloKey = "OrleansSync:Gateway:InSilo";

    /// <summary>
    /// Read by a silo hosting the relay on a single host (SQLite or memory storage, not joining another silo): the
    /// first write to a node that no activation holds is stored without activating one. Off, every put goes to its grain.
    /// </summary>
    public bool CreateNodesWithoutActivation { get; set; } = true;

    /// <summary>HTTP port Gun peers connect to (<c>http://host:port/gun</c>).</summary>
    public int Port { get; set; } = 8765;

    /// <summary>Address to listen on; loopback unless set.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Largest text frame accepted; a larger one gets an error and the connection is closed.</summary>
    public int MaxFrameBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most souls one put may write.</summary>
    public int MaxSoulsPerPut { get; set; } = 1000;

    /// <summary>Longest soul accepted in a get or put; longer ones get an <c>err</c>.</summary>
    public int MaxSoulLength { get; set; } = 1024;

    /// <summary>Longest key accepted in a put; longer ones get an <c>err</c>.</summary>
    public int MaxKeyLength { get; set; } = 1024;

    /// <summary>
    /// How far ahead of the gateway's clock a put's state may be. A write from the future is stored and applied when
    /// its time comes (its node stays active until then); beyond this, the put gets an <c>err</c>.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a get or put may wait for the cluster before the peer gets an <c>err</c> (the write may still be
    /// stored: an <c>err</c> only says it was not acknowledged).
    /// </summary>
    public TimeSpan RequestDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Refuse user-space and content-addressed writes that SEA would refuse (forged or unsigned user data, aliases
    /// that do not point at themselves, hashes that do not match), as gun's relay does when it loads SEA.
    /// </summary>
    public bool VerifySea { get; set; } = true;

    /// <summary>WebSocket connections the gateway holds at once; more are closed at once with a reason.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Connections from one remote address at once.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 256;

    /// <summary>
    /// Messages per second a connection may send on average, with bursts up to <see cref="MessageBurst"/>; a connection
    /// that sends faster gets a <c>dam</c> error and is closed.
    /// </summary>
    public int MaxMessagesPerSecond { get; set; } = 2_000;

    /// <summary>Messages a connection may send at once above its rate (a client loading or syncing many nodes).</summary>
    public int MessageBurst { get; set; } = 50_000;

    /// <summary>Messages a connection may have in flight at once; more wait (back-pressure on the socket).</summary>
    public int MaxConcurrentPerConnection { get; set; } = 64;

    /// <summary>Messages queued to a slow connection before it is closed.</summary>
    public int MaxQueuedPerConnection { get; set; } = 100_000;

    /// <summary>How long the gateway's subscription to a soul lasts without renewal (renewed at a third of it).</summary>
    public TimeSpan SubscriptionLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the sync/ listings (machines, propagators, cells) and machine nodes peers read are rebuilt and their changes pushed.</summary>
    public TimeSpan ListingRefresh { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>gun sends <c>[]</c> every 20 s to keep connections open.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Serve the operator endpoints under <c>/admin</c> (compaction) to requests from other hosts, not only loopback.</summary>
    public bool AllowRemoteAdmin { get; set; }
}
