using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// This silo's view of which machine each active silo is, from cluster membership and silo metadata. It
/// answers locally, without a grain call, and rebuilds its view only when membership changes (compared by the
/// snapshot's version), so a hop never pays for the size of the cluster.
/// </summary>
public sealed class MachineDirectory(IClusterMembershipService membership, ISiloMetadataCache metadata, IOptions<MachineOptions> options)
{
    private View _view = new(MembershipVersion.MinValue, new HashSet<string>(StringComparer.Ordinal), false);

    public string LocalMachine => options.Value.Id;

    public string? MachineOf(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(MachineOptions.MetadataKey);

    public bool IsActive(string machine) => machine == LocalMachine || Current().Machines.Contains(machine);

    /// <summary>
    /// The silos whose propagation counters a quiescence sample must read: active ones and those still shutting down
    /// (they run and send until they stop). Null while a silo's machine is not known yet: a sample then is not whole.
    /// </summary>
    public IReadOnlyList<string>? Sampled()
    {
        var machines = new List<string>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status is not (SiloStatus.Active or SiloStatus.ShuttingDown or SiloStatus.Stopping)) continue;
            if (MachineOf(member.SiloAddress) is not { } machine) return null;
            machines.Add(machine);
        }
        machines.Sort(StringComparer.Ordinal);
        return machines;
    }

    private View Current()
    {
        var snapshot = membership.CurrentSnapshot;
        var view = _view;
        // A silo's metadata can arrive after its membership entry: until every active silo has a machine, look again.
        if (view.Version == snapshot.Version && view.Complete) return view;
        var machines = new HashSet<string>(StringComparer.Ordinal) { LocalMachine };
        var complete = true;
        foreach (var member in snapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active) continue;
            if (MachineOf(member.SiloAddress) is { } machine) machines.Add(machine);
            else complete = false;
        }
        return _view = new View(snapshot.Version, machines, complete);
    }

    private sealed record View(MembershipVersion Version, IReadOnlySet<string> Machines, bool Complete);
}
