using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// This silo's view of which machine each active silo is, from cluster membership and silo metadata. It
/// answers locally, without a grain call, so a cell can skip waking a propagator whose machine is down.
/// </summary>
public sealed class MachineDirectory(IClusterMembershipService membership, ISiloMetadataCache metadata, IOptions<MachineOptions> options)
{
    public string LocalMachine => options.Value.Id;

    public string? MachineOf(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(MachineOptions.MetadataKey);

    /// <summary>Active silos and their machines, ordered by machine id.</summary>
    public IReadOnlyList<(SiloAddress Silo, string Machine)> Active() =>
        [.. membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => (m.SiloAddress, Machine: MachineOf(m.SiloAddress)))
            .Where(m => m.Machine is not null)
            .Select(m => (m.SiloAddress, m.Machine!))
            .OrderBy(m => m.Item2, StringComparer.Ordinal)];

    /// <summary>The ids of the machines with an active silo (this one included), for checking many at once.</summary>
    public IReadOnlySet<string> ActiveMachines() => Active().Select(m => m.Machine).Append(LocalMachine).ToHashSet(StringComparer.Ordinal);
}
