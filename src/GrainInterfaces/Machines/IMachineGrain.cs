using Orleans.Concurrency;

namespace OrleansSync.Machines;

/// <summary>One machine (keyed by machine id): name, kind, heartbeats, whether it is active. Its propagators are in its shards.</summary>
[Alias("OrleansSync.IMachineGrain")]
public interface IMachineGrain : IGrainWithStringKey
{
    /// <summary>Registers the machine on first contact and records that it is alive now; says whether it was new.</summary>
    [Alias("Heartbeat")]
    Task<(MachineInfo Info, bool New)> Heartbeat(string name, MachineKind kind);

    /// <summary>The machine shut down cleanly: inactive at once rather than after missed heartbeats.</summary>
    [Alias("Stopped")]
    Task Stopped();

    /// <summary>Records a machine as an earlier version stored it, unless this machine is known already; says whether it was new.</summary>
    [Alias("Adopt")]
    Task<bool> Adopt(string name, MachineKind kind, DateTimeOffset connectedAt, DateTimeOffset lastSeen, bool stopped);

    /// <summary>The machine, or null if it never registered.</summary>
    [AlwaysInterleave, Alias("GetInfo")]
    Task<MachineInfo?> GetInfo();
}
