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
    private View _view = new(MembershipVersion.MinValue, [], new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, SiloAddress>(StringComparer.Ordinal), false);

    public string LocalMachine => options.Value.Id;

    public string? MachineOf(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(MachineOptions.MetadataKey);

    /// <summary>Active silos and their machines, ordered by machine id.</summary>
    public IReadOnlyList<(SiloAddress Silo, string Machine)> Active() => Current().Active;

    /// <summary>The ids of the machines with an active silo (this one included).</summary>
    public IReadOnlySet<string> ActiveMachines() => Current().Machines;

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

    /// <summary>The silo of an active machine, or null.</summary>
    public SiloAddress? SiloOf(string machine) => Current().Silos.GetValueOrDefault(machine);

    private View Current()
    {
        var snapshot = membership.CurrentSnapshot;
        var view = _view;
        // A silo's metadata can arrive after its membership entry: until every active silo has a machine, look again.
        if (view.Version == snapshot.Version && view.Complete) return view;
        var active = new List<(SiloAddress, string)>();
        var complete = true;
        foreach (var member in snapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active) continue;
            var machine = MachineOf(member.SiloAddress);
            if (machine is null)
            {
                complete = false;
                continue;
            }
            active.Add((member.SiloAddress, machine));
        }
        active.Sort((a, b) => string.CompareOrdinal(a.Item2, b.Item2));
        var machines = new HashSet<string>(active.Select(a => a.Item2), StringComparer.Ordinal) { LocalMachine };
        var silos = new Dictionary<string, SiloAddress>(StringComparer.Ordinal);
        foreach (var (silo, machine) in active) silos[machine] = silo;
        return _view = new View(snapshot.Version, active, machines, silos, complete);
    }

    private sealed record View(MembershipVersion Version, IReadOnlyList<(SiloAddress Silo, string Machine)> Active, IReadOnlySet<string> Machines,
        IReadOnlyDictionary<string, SiloAddress> Silos, bool Complete);
}
