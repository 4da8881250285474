using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Premises;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Propagators;

/// <summary>
/// A propagator network as a backend service or test uses it, over any grain factory (a cluster client or a grain):
/// tell cells, create and dispose propagators on machines, change beliefs, and wait for quiescence. Everything goes
/// on behalf of <see cref="Network"/>: its quiescence waits for the propagation this network started and nothing
/// else, and its reports hold its own contradictions only. "" is the default network.
/// </summary>
public sealed class PropagatorNetwork(IGrainFactory grains, string network = "")
{
    public string Network { get; } = network ?? "";

    /// <summary>The same cluster on behalf of another network.</summary>
    public PropagatorNetwork For(string network) => new(grains, network);

    public ICellGrain Cell(string cellId) => grains.GetGrain<ICellGrain>(cellId);

    public Task<MergeResult> Tell(string cellId, PartialInfo increment) => Cell(cellId).Merge(increment, Network);

    public Task<PartialInfo> Strongest(string cellId) => Cell(cellId).GetStrongest();

    public Task<PropagatorInfo> Create(PropagatorSpec spec) => grains.GetGrain<IPropagatorGrain>(spec.Id).Attach(spec.InNetwork(Network));

    public Task<PropagatorInfo> Create(string machine, string implementation, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        IReadOnlyList<PartialInfo>? arguments = null, string? localId = null) =>
        Create(new PropagatorSpec(PropagatorIds.New(machine, localId), implementation, [.. inputs], [.. outputs], [.. arguments ?? []], Network));

    /// <summary>A one-way propagator whose last cell is its output.</summary>
    public Task<PropagatorInfo> Primitive(string machine, string implementation, params string[] cells) =>
        Create(machine, implementation, cells[..^1], [cells[^1]]);

    /// <summary>A multidirectional constraint (sum, product, quadratic, sync): every cell is input and output.</summary>
    public Task<PropagatorInfo> Constraint(string machine, string implementation, params string[] cells) =>
        Create(machine, implementation, cells, cells);

    public Task<PropagatorInfo> Constant(string machine, PartialInfo value, string cellId) =>
        Create(machine, BuiltInPropagators.Constant, [], [cellId], [value]);

    /// <summary>The cell holds one of <paramref name="values"/>; which one is searched for (amb).</summary>
    public Task<PropagatorInfo> Amb(string machine, string cellId, params PartialInfo[] values) =>
        Create(machine, BuiltInPropagators.Amb, [], [cellId], values);

    /// <summary>Binds <paramref name="accessorCell"/> at <paramref name="key"/> of a carried cell: reading or writing it reads or writes the child there.</summary>
    public Task<PropagatorInfo> Accessor(string machine, string carriedCell, string key, string accessorCell) =>
        Create(machine, BuiltInPropagators.Accessor, [], [carriedCell], [new TextValue(key), new TextValue(accessorCell)]);

    /// <summary>Applies the closure in <paramref name="closureCell"/> to <paramref name="inputs"/>, giving <paramref name="outputs"/>.</summary>
    public Task<PropagatorInfo> Apply(string machine, string closureCell, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string? localId = null) =>
        Create(machine, BuiltInPropagators.Apply, [closureCell, .. inputs], outputs, localId: localId);

    public Task<PropagatorInfo> Dispose(string propagatorId) => grains.GetGrain<IPropagatorGrain>(propagatorId).Detach();

    /// <summary>
    /// The propagator's state; if its machine is not active the propagator cannot be reached, and its
    /// registered spec is returned with <see cref="PropagatorStatus.WaitingForMachine"/>.
    /// </summary>
    public async Task<PropagatorInfo> Status(string propagatorId)
    {
        var machine = await Registry.GetMachine(PropagatorIds.MachineOf(propagatorId));
        if (machine is { Active: false })
        {
            var spec = await Registry.GetPropagator(propagatorId)
                ?? throw new KeyNotFoundException($"Propagator '{propagatorId}' is not registered on machine '{machine.Id}'.");
            return new PropagatorInfo(spec, machine.ConnectedAt, null, PropagatorStatus.WaitingForMachine,
                $"machine '{machine.Id}' was last seen {machine.LastSeen:O}", 0);
        }
        return await grains.GetGrain<IPropagatorGrain>(propagatorId).GetInfo();
    }

    public IPremiseGrain Premise(string premise) => grains.GetGrain<IPremiseGrain>(premise);

    /// <summary>Stops believing <paramref name="premise"/>: exactly the cells whose content mentions it re-derive.</summary>
    public Task<PremiseInfo> KickOut(string premise) => Premise(premise).KickOut(Network);

    public Task<PremiseInfo> BringIn(string premise) => Premise(premise).BringIn(Network);

    public IMachineRegistryGrain Registry => grains.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key);

    /// <summary>This network's contradictions and search statistics now (also part of every quiescence report).</summary>
    public Task<NetworkReport> Report() => grains.GetGrain<INetworkGrain>(INetworkGrain.KeyOf(Network)).GetReport();

    /// <summary>
    /// Waits until no propagation of this network is in flight and no search decision is pending; with
    /// <paramref name="durable"/>, also until every change written behind is stored.
    /// </summary>
    public Task<QuiescenceReport> WaitForQuiescence(TimeSpan timeout, bool durable = false, CancellationToken cancellationToken = default) =>
        Quiescence.WaitAsync(grains, Network, timeout, durable, cancellationToken);
}
