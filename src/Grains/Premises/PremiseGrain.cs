using OrleansSync.Cells;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Premises;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// One premise: the premise → cells index, so a belief change re-evaluates exactly the cells that depend
/// on it. Its belief is read from the worldview on activation and then kept current by the worldview's pushes.
/// </summary>
[GrainType("premise")]
public sealed class PremiseGrain(
    [PersistentState("premise", CellStorage.ProviderName)] IPersistentState<PremiseState> state,
    PropagationTracker tracker) : Grain, IPremiseGrain
{
    private PremiseBelief _belief = new(true, -1);
    // What the cells were last told. Separate from _belief: a push that activates this grain finds the
    // same version already read from the worldview, and must still reach the cells.
    private long _announced = -1;
    private HashSet<string> _cells = [];

    private string Premise => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _cells = [.. state.State.Cells];
        _belief = await GrainFactory.GetGrain<IWorldviewGrain>(IWorldviewGrain.Key).GetBelief(Premise);
    }

    public async Task<PremiseBelief> Register(string cellId)
    {
        if (!_cells.Contains(cellId))
        {
            var previous = state.State;
            state.State = new PremiseState { Cells = [.. _cells.Append(cellId).Order(StringComparer.Ordinal)] };
            await state.WriteOrRestoreAsync(previous);
            _cells.Add(cellId);
        }
        return _belief;
    }

    public Task Believe(PremiseBelief belief)
    {
        if (belief.Version <= _announced) return Task.CompletedTask;
        _announced = belief.Version;
        if (belief.Version > _belief.Version) _belief = belief;
        belief = _belief;
        foreach (var cellId in _cells)
        {
            var cell = GrainFactory.GetGrain<ICellGrain>(cellId);
            tracker.Send(() => cell.PremiseChanged(Premise, belief), $"premise {Premise} to cell {cellId}");
        }
        return Task.CompletedTask;
    }
}
