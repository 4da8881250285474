using Microsoft.Extensions.Logging;
using OrleansSync.Cells;
using OrleansSync.Grains.Machines;
using OrleansSync.Grains.Propagation;
using OrleansSync.Lattice;
using OrleansSync.Premises;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// Carries out what a cell's change asks for (<see cref="CellUpdate"/>), outside the cell's lock: queue the write
/// behind, tell subscribers, wake the propagators that read the cell, report a contradiction to its network (or that
/// it cleared), link unified cells, and register with new premises. Every message is counted for the network.
/// </summary>
public sealed partial class CellEffects(
    IGrainFactory grains,
    LocalScheduler scheduler,
    WriteBehind writeBehind,
    PropagationTracker tracker,
    MachineDirectory machines,
    ILogger<CellEffects> logger)
{
    /// <summary>Never throws: the change it announces has happened (and, for a client's merge, is stored) whatever goes wrong here.</summary>
    public void Announce(LiveCell cell, CellUpdate update, CellSnapshot snapshot, NetworkCounters counters, string network, bool dirty, bool inline = false)
    {
        try
        {
            Dispatch(cell, update, snapshot, counters, network, dirty, inline);
        }
        catch (Exception error)
        {
            LogAnnounceFailed(error, cell.Id);
        }
    }

    private void Dispatch(LiveCell cell, CellUpdate update, CellSnapshot snapshot, NetworkCounters counters, string network, bool dirty, bool inline)
    {
        if (dirty) writeBehind.MarkDirty(cell, counters);
        var metadata = snapshot.Metadata;
        if (metadata.Version == 1) Directory(cell.Id).Created(cell.Id);
        cell.Subscriptions.Notify(new CellChange(metadata.Id, metadata.Version, snapshot.Strongest, metadata.UpdatedAt, metadata.Incarnation));
        if (update.StrongestChanged && cell.Readers.Count > 0)
            scheduler.WakeReaders(cell.Id, cell.Readers, metadata.Stamp, snapshot.Strongest, counters, network, inline);
        if (update.Nogood is not null || update.Resolved) Report(cell, update, metadata.Stamp, network);
        foreach (var (canonical, other) in update.Unifications) Link(cell.Id, canonical, other, network);
        if (update.NewPremises.Count > 0)
        {
            var premises = update.NewPremises;
            tracker.Send(counters, async () =>
            {
                foreach (var info in await RegisterWithPremises(cell.Id, premises)) cell.Believe(info.Premise, info.Belief, counters, network);
            }, $"premises of {cell.Id}");
        }
    }

    /// <summary>The listing shard of <paramref name="cellId"/> (sync/cells).</summary>
    public ICellDirectoryGrain Directory(string cellId) => grains.GetGrain<ICellDirectoryGrain>(ICellDirectoryGrain.ShardOf(cellId));

    /// <summary>Sends the links a content asks for again (on activation: a crash may have come between storing and linking).</summary>
    public void Relink(string cellId, IEnumerable<(string Canonical, string Other)> links)
    {
        foreach (var (canonical, other) in links) Link(cellId, canonical, other, "");
    }

    public void MergeElsewhere(string cellId, PartialInfo increment, NetworkCounters counters, string network) =>
        scheduler.MergeThroughGrain(cellId, increment, counters, network);

    public async Task<PremiseInfo[]> RegisterWithPremises(string cellId, IReadOnlyList<string> premises) =>
        await Task.WhenAll(premises.Select(p => grains.GetGrain<IPremiseGrain>(p).Register(cellId)));

    private void Report(LiveCell cell, CellUpdate update, CellStamp stamp, string network)
    {
        var target = cell.ReportTarget(update, network);
        var ambs = update.Nogood is { } nogood ? cell.AmbsOf(nogood) : [];
        if (update.Nogood is not null) LogContradiction(cell.Id, update.Nogood);
        var board = grains.GetGrain<INetworkGrain>(INetworkGrain.KeyOf(target));
        var contradiction = update.Nogood;
        var cellId = cell.Id;
        tracker.Send(target, () => board.Report(cellId, stamp, contradiction, ambs), $"contradiction report of {cellId}");
    }

    /// <summary>Cells bound to one key (or environments of one closure) become one cell: identity links both ways.</summary>
    private void Link(string cellId, string canonical, string other, string network)
    {
        var spec = new PropagatorSpec(PropagatorIds.New(machines.LocalMachine, $"unify/{canonical}={other}"),
            BuiltInPropagators.Sync, [canonical, other], [canonical, other], [], network);
        var link = grains.GetGrain<IPropagatorGrain>(spec.Id);
        // One-way: attaching reads this cell, so awaiting it here could wait on ourselves.
        tracker.Send(network, () => link.Attach(spec), $"unify {canonical} and {other} for {cellId}");
    }

    public void LogLearnFailed(Exception error, string cellId) => LogPremisesFailed(error, cellId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Announcing a change of cell {CellId} failed")]
    private partial void LogAnnounceFailed(Exception error, string cellId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} holds a contradiction: {Contradiction}")]
    private partial void LogContradiction(string cellId, PartialInfo contradiction);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} could not register with the premises of an increment; it goes to the cell grain")]
    private partial void LogPremisesFailed(Exception error, string cellId);
}
