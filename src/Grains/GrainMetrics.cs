using System.Diagnostics.Metrics;

namespace OrleansSync.Grains;

/// <summary>
/// What the propagator network does, as <see cref="System.Diagnostics.Metrics"/> instruments (meter
/// <c>OrleansSync.Grains</c>); the silo exports them at <c>/metrics</c>. Without a listener an instrument costs a
/// check of a flag, so hot paths record unconditionally.
/// </summary>
public static class GrainMetrics
{
    public const string MeterName = "OrleansSync.Grains";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Increments merged into cells: <c>source</c> told (by a client or peer) or derived (by a propagator); <c>changed</c> whether the content grew.</summary>
    public static readonly Counter<long> Merges = Meter.CreateCounter<long>("orleanssync.cell.merges", "{merge}", "Increments merged into cells");

    public static readonly Counter<long> PropagatorRuns = Meter.CreateCounter<long>("orleanssync.propagator.runs", "{run}", "Propagator runs on this silo");

    /// <summary>Hops to another machine: one message per machine carries every wake for it.</summary>
    public static readonly Counter<long> RemoteWakeMessages = Meter.CreateCounter<long>("orleanssync.propagation.hops", "{message}", "Wake messages sent to another machine");

    public static readonly Counter<long> RemoteWakes = Meter.CreateCounter<long>("orleanssync.propagation.remote_wakes", "{wake}", "Propagators woken on another machine");

    /// <summary>Gun nodes whose first write was stored without activating them (<see cref="Gun.GunNodeCreator"/>).</summary>
    public static readonly Counter<long> GunNodesCreated = Meter.CreateCounter<long>("orleanssync.gun.nodes_created_without_activation", "{node}", "Gun nodes created without an activation");
}
