using OrleansSync.Cells;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Premises;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// One premise. Its belief is decided here — by the caller for an ordinary premise (kick out, bring in), by its
/// search for an amb's choice — stored with a version of its own, and pushed to exactly the cells whose content
/// mentions the premise (the premise → cells index, in pages). Searches whose nogoods mention an ordinary premise hear
/// of its changes: a retraction can make an exhausted search able to choose again.
/// </summary>
[GrainType("premise")]
public sealed class PremiseGrain(PropagationTracker tracker) : Grain, IPremiseGrain
{
    private const int PageSize = 512;

    private GrainRow<PremiseState> _row = null!;
    private PagedRows<string> _cells = null!;
    private PagedRows<string> _watchers = null!;
    private readonly List<string> _cellIds = [];
    private readonly List<string> _watcherIds = [];

    private string Premise => this.GetPrimaryKeyString();

    private PremiseState State => _row.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = CellStorage.Of(ServiceProvider);
        _row = new GrainRow<PremiseState>(storage, "premise", "premise", Premise);
        await _row.ReadAsync();
        _cells = new PagedRows<string>(storage, "premise-cells", "premise", Premise, PageSize, c => c);
        _cells.Open(State.CellPages);
        _cellIds.AddRange(await _cells.LoadAllAsync());
        _watchers = new PagedRows<string>(storage, "premise-watchers", "premise", Premise, PageSize, w => w);
        _watchers.Open(State.WatcherPages);
        _watcherIds.AddRange(await _watchers.LoadAllAsync());
        // Rows written before the index had pages kept it inline: it moves to pages once.
        if (State.Cells.Count > 0)
        {
            // The inline list stays in the row until every cell is in a page: a crash part-way loses none.
            foreach (var cell in State.Cells.ToArray()) if (!_cells.Contains(cell)) await AddCell(cell);
            await Write(s => s.Cells = []);
        }
    }

    public async Task<PremiseInfo> Register(string cellId)
    {
        if (!_cells.Contains(cellId)) await AddCell(cellId);
        return Info();
    }

    public Task<PremiseInfo> KickOut(string network) => SetOrdinary(believed: false, network);

    public Task<PremiseInfo> BringIn(string network) => SetOrdinary(believed: true, network);

    public Task<PremiseInfo> GetInfo() => Task.FromResult(Info());

    public async Task Choose(string amb, bool believed, string network)
    {
        if (State.Amb == amb && State.In == believed) return;
        await Write(s =>
        {
            s.Amb = amb;
            s.In = believed;
            s.Version++;
        });
        Announce(network, toSearches: false);
    }

    public async Task WatchedBy(string search)
    {
        if (_watchers.Contains(search)) return;
        await _watchers.AddAsync(search, pages => Write(s => s.WatcherPages = pages));
        _watcherIds.Add(search);
    }

    private async Task<PremiseInfo> SetOrdinary(bool believed, string network)
    {
        if (string.IsNullOrWhiteSpace(Premise)) throw new ArgumentException("A premise needs a name.");
        if (State.Amb is { } amb) throw new InvalidOperationException($"'{Premise}' is a choice of amb '{amb}': its search decides it.");
        if (State.In == believed) return Info();
        await Write(s =>
        {
            s.In = believed;
            s.Version++;
        });
        Announce(network, toSearches: true);
        return Info();
    }

    /// <summary>Tells every cell of the index (and the watching searches) the new belief, counted for <paramref name="network"/>.</summary>
    private void Announce(string network, bool toSearches)
    {
        var counters = tracker.For(network);
        var belief = new PremiseBelief(State.In, State.Version);
        var premise = Premise;
        foreach (var cellId in _cellIds)
        {
            var cell = GrainFactory.GetGrain<ICellGrain>(cellId);
            tracker.Send(counters, () => cell.PremiseChanged(premise, belief, network), $"premise {premise} to cell {cellId}");
        }
        if (!toSearches) return;
        foreach (var searchId in _watcherIds)
        {
            var search = GrainFactory.GetGrain<ISearchGrain>(searchId);
            tracker.Send(counters, () => search.PremiseChanged(premise, network), $"premise {premise} to search {searchId}");
        }
    }

    private async Task AddCell(string cellId)
    {
        await _cells.AddAsync(cellId, pages => Write(s => s.CellPages = pages));
        _cellIds.Add(cellId);
    }

    private Task Write(Action<PremiseState> change)
    {
        var next = State.Copy();
        change(next);
        return _row.WriteAsync(next);
    }

    private PremiseInfo Info() => new(Premise, State.In, State.Version, State.Amb);
}
