using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansSync.Cells;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Premises;
using OrleansSync.Search;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// One search (<see cref="ISearchGrain"/>): the ambs that share contradictions, as a <see cref="BeliefSearch"/> kept in
/// memory and stored in one row that grows with this search only. Contradiction reports are recorded as they come;
/// the decision — learn the nogoods of the contradictions present, settle, tell the premises what changed — waits
/// until the network's propagation is quiescent (<see cref="QuiescenceWatcher"/>), so it does not depend on the order
/// reports arrived in. Until then the decision counts as pending, so the network does not look quiescent to callers.
/// </summary>
/// <remarks>
/// Ambs that meet in one contradiction are united into one search before it is reported (<see cref="Unite"/>): the
/// search with the smallest key takes the others over (<see cref="HandOver"/>), and they forward from then on. Only
/// smaller keys ask larger ones to hand over, and a search waiting for a smaller one holds nothing, so two searches
/// never wait on each other. Searches that never meet decide independently — and as one search over all of them would,
/// since a decision about one group of ambs never touches another's.
/// </remarks>
[GrainType("search")]
public sealed partial class SearchGrain(PropagationTracker tracker, QuiescenceWatcher watcher, ILogger<SearchGrain> logger) : Grain, ISearchGrain
{
    private GrainRow<SearchRow> _row = null!;
    private BeliefSearch _search = new([], [], []);
    private readonly Dictionary<string, ReportedContradiction> _reports = new(StringComparer.Ordinal);
    private readonly HashSet<string> _watching = new(StringComparer.Ordinal);
    private readonly HashSet<string> _handled = new(StringComparer.Ordinal);
    private SearchStatistics _statistics = SearchStatistics.None;
    private SearchStatistics _told = SearchStatistics.None;
    private SearchStatistics _counted = SearchStatistics.None;
    private HashSet<string> _exhausted = new(StringComparer.Ordinal);
    private bool _pending;
    // Set while this search decides or takes another over: a hand-over waits for it, so a search never gives away
    // what it is still deciding on. (Hand-overs interleave: the search may be waiting for the one taking it over.)
    private TaskCompletionSource? _busy;

    private string Key => this.GetPrimaryKeyString();

    private SearchRow Row => _row.State;

    private string Network => Row.Network;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _row = new GrainRow<SearchRow>(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CellStorage.ProviderName), "search", "search", Key);
        await _row.ReadAsync();
        _search = new BeliefSearch(Row.KickedOut, Row.Nogoods.Select(n => PremiseSet.Of(n)), Row.Ambs);
        foreach (var r in Row.Reports)
            _reports[r.Cell] = new ReportedContradiction(r.Cell, new CellStamp(r.Incarnation, r.Version), r.Contradiction as Contradiction, r.Ambs, r.Handled);
        _statistics = _told = new SearchStatistics(Row.ContradictionsHandled, Row.NogoodsLearned, Row.ChoicesTried, Row.Backtracks);
        _exhausted = [.. Row.Exhausted.Keys];
        _watching.UnionWith(Row.Watching);
        _handled.UnionWith(Row.Handled);
    }

    public async Task RegisterAmb(AmbChoice amb, string network)
    {
        if (Row.MergedInto is not null || _search.Ambs.Any(a => a.Id == amb.Id)) return;
        if (amb.Id != Key) throw new ArgumentException($"amb '{amb.Id}' starts a search of its own, not '{Key}'.");
        if (amb.Premises.Count == 0) throw new ArgumentException($"amb '{amb.Id}' has no choices.");
        Row.Network = network;
        _search.AddAmb(amb);
        _search.Settle();
        Account(handled: 0);
        await Store();
        // Awaited: the amb writes its choices only once every choice's premise believes what the search decided.
        await Task.WhenAll(amb.Premises.Select(p => GrainFactory.GetGrain<IPremiseGrain>(p).Choose(amb.Id, _search.Believes(p), network)));
        TellBoard();
    }

    public async Task Report(string cellId, CellStamp stamp, Contradiction? contradiction, IReadOnlyList<string> ambs, string network)
    {
        if (Row.MergedInto is { } into)
        {
            await GrainFactory.GetGrain<ISearchGrain>(into).Report(cellId, stamp, contradiction, ambs, network);
            return;
        }
        if (_reports.TryGetValue(cellId, out var known) && known.Stamp >= stamp) return;
        _reports[cellId] = new ReportedContradiction(cellId, stamp, contradiction, contradiction is null ? known?.Ambs ?? [] : ambs, Handled: false);
        RequestDecision();
    }

    public async Task PremiseChanged(string premise, string network)
    {
        if (Row.MergedInto is { } into)
        {
            await GrainFactory.GetGrain<ISearchGrain>(into).PremiseChanged(premise, network);
            return;
        }
        RequestDecision();
    }

    public async Task Decide()
    {
        if (Row.MergedInto is not null || !_pending) return;
        Busy();
        try
        {
            await Settle();
        }
        finally
        {
            Idle();
            if (_pending && Row.MergedInto is null) ReleaseDecision();
        }
    }

    public async Task<string> Root()
    {
        if (Row.MergedInto is not { } into) return Key;
        var root = await GrainFactory.GetGrain<ISearchGrain>(into).Root();
        // Shorten the path for the next lookup (kept in memory; stored with the next write).
        Row.MergedInto = root;
        return root;
    }

    public async Task<SearchState> HandOver(string into)
    {
        while (_busy is { } busy) await busy.Task;
        if (Row.MergedInto is { } already) throw new InvalidOperationException($"Search '{Key}' was already merged into '{already}'.");
        var state = new SearchState([.. _search.Ambs], [.. _search.Nogoods], [.. _search.KickedOut], [.. _reports.Values], _statistics, Network, [.. _exhausted], [.. _handled]);
        Row.MergedInto = into;
        Row.Reports = [];
        await _row.WriteAsync(Row);
        _reports.Clear();
        if (_pending) ReleaseDecision();
        return state;
    }

    public async Task Unite(IReadOnlyList<string> ambs)
    {
        if (Row.MergedInto is { } into)
        {
            await GrainFactory.GetGrain<ISearchGrain>(into).Unite(ambs);
            return;
        }
        var roots = new SortedSet<string>(StringComparer.Ordinal) { Key };
        foreach (var amb in ambs.Distinct(StringComparer.Ordinal)) roots.Add(await GrainFactory.GetGrain<ISearchGrain>(amb).Root());
        if (roots.Count == 1) return;
        if (roots.Min != Key)
        {
            // The smallest takes the others over; this one waits for it without holding anything (it may be taken over meanwhile).
            await GrainFactory.GetGrain<ISearchGrain>(roots.Min!).Unite(ambs);
            return;
        }
        Busy();
        try
        {
            foreach (var root in roots.Where(r => r != Key)) Include(await GrainFactory.GetGrain<ISearchGrain>(root).HandOver(Key));
            await Store();
        }
        finally
        {
            Idle();
        }
    }

    private void Busy() => _busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Idle()
    {
        var busy = _busy;
        _busy = null;
        busy?.TrySetResult();
    }

    public Task<SearchStatistics> GetStatistics() => Task.FromResult(_statistics);

    private void Include(SearchState other)
    {
        if (Row.Network.Length == 0) Row.Network = other.Network;
        var kickedOut = other.KickedOut.ToHashSet(StringComparer.Ordinal);
        foreach (var amb in other.Ambs) _search.Include(amb, kickedOut);
        foreach (var nogood in other.Nogoods) _search.Learn(nogood);
        foreach (var report in other.Contradictions)
            if (!_reports.TryGetValue(report.CellId, out var known) || known.Stamp < report.Stamp) _reports[report.CellId] = report;
        // What the other search did was counted (and told) there; relearning its nogoods here is not new work.
        _counted = _search.Statistics;
        _statistics += other.Statistics;
        _handled.UnionWith(other.Handled);
        _told += other.Statistics;
        _exhausted.UnionWith(other.Exhausted);
        LogMerged(other.Ambs.Count, Key);
    }

    /// <summary>Learns from the contradictions present, brings ordinary beliefs up to date, settles, stores, and tells the premises.</summary>
    private async Task Settle()
    {
        var handled = 0;
        foreach (var report in _reports.Values.OrderBy(r => r.CellId, StringComparer.Ordinal).ToList())
        {
            if (report.Contradiction is null || report.Handled) continue;
            _reports[report.CellId] = report with { Handled = true };
            if (!report.Contradiction.Premises.Items.Any(_search.IsHypothetical)) continue;
            if (_handled.Add($"{report.CellId}\n{report.Contradiction.Premises}")) handled++;
            _search.Learn(report.Contradiction.Premises);
        }
        // Reports of cells that are consistent again have done their part.
        foreach (var cleared in _reports.Values.Where(r => r.Contradiction is null).Select(r => r.CellId).ToList()) _reports.Remove(cleared);

        // Ordinary premises in the nogoods: their beliefs now, and their changes from now on.
        var ordinary = _search.Nogoods.SelectMany(n => n.Items).Where(p => !_search.IsHypothetical(p)).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var info in await Task.WhenAll(ordinary.Select(p => GrainFactory.GetGrain<IPremiseGrain>(p).GetInfo())))
        {
            if (info.In) _search.BringIn(info.Premise);
            else _search.KickOut(info.Premise);
        }
        var unwatched = ordinary.Where(_watching.Add).ToArray();
        await Task.WhenAll(unwatched.Select(p => GrainFactory.GetGrain<IPremiseGrain>(p).WatchedBy(Key)));

        var before = _search.KickedOut.ToHashSet(StringComparer.Ordinal);
        _search.Settle();
        Account(handled);
        await Store();
        foreach (var amb in _search.Ambs)
        {
            foreach (var premise in amb.Premises)
            {
                var believed = _search.Believes(premise);
                if (before.Contains(premise) == !believed) continue;
                var grain = GrainFactory.GetGrain<IPremiseGrain>(premise);
                var (ambId, network) = (amb.Id, Network);
                tracker.Send(Network, () => grain.Choose(ambId, believed, network), $"choice {premise} of {ambId}");
            }
        }
        TellBoard();
    }

    /// <summary>Adds what the search did since last counted (and the contradictions handled now) to the statistics.</summary>
    private void Account(int handled)
    {
        _statistics = _statistics.WithContradictions(handled) + (_search.Statistics - _counted);
        _counted = _search.Statistics;
    }

    /// <summary>Tells the network's board what changed: ambs that ran out of (or regained) choices, and the statistics.</summary>
    private void TellBoard()
    {
        var board = GrainFactory.GetGrain<INetworkGrain>(INetworkGrain.KeyOf(Network));
        var exhausted = _search.Exhausted.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (amb, nogood) in _search.Exhausted.Where(e => !_exhausted.Contains(e.Key)).ToList())
        {
            LogExhausted(Key, amb);
            tracker.Send(Network, () => board.Exhausted(amb, nogood), $"exhausted amb {amb}");
        }
        foreach (var amb in _exhausted.Where(a => !exhausted.Contains(a)).ToList())
            tracker.Send(Network, () => board.Exhausted(amb, null), $"amb {amb} has a choice again");
        _exhausted = exhausted;
        var delta = _statistics - _told;
        _told = _statistics;
        if (!delta.Equals(SearchStatistics.None)) tracker.Send(Network, () => board.AddStatistics(delta), $"statistics of search {Key}");
    }

    private void RequestDecision()
    {
        if (_pending) return;
        _pending = true;
        Interlocked.Increment(ref tracker.For(Network).PendingDecisions);
        watcher.WhenQuiescent(Network, Key);
    }

    private void ReleaseDecision()
    {
        _pending = false;
        Interlocked.Decrement(ref tracker.For(Network).PendingDecisions);
    }

    private Task Store()
    {
        Row.Ambs = [.. _search.Ambs];
        Row.Nogoods = [.. _search.Nogoods.Select(n => n.Items.ToList())];
        Row.KickedOut = [.. _search.KickedOut.Order(StringComparer.Ordinal)];
        Row.Reports = [.. _reports.Values.Select(r => new SearchReport
        {
            Cell = r.CellId, Incarnation = r.Stamp.Incarnation, Version = r.Stamp.Version, Contradiction = r.Contradiction, Handled = r.Handled, Ambs = [.. r.Ambs],
        })];
        Row.ContradictionsHandled = _statistics.ContradictionsHandled;
        Row.NogoodsLearned = _statistics.NogoodsLearned;
        Row.ChoicesTried = _statistics.ChoicesTried;
        Row.Backtracks = _statistics.Backtracks;
        Row.Exhausted = _search.Exhausted.ToDictionary(e => e.Key, e => e.Value.Items.ToList());
        Row.Watching = [.. _watching.Order(StringComparer.Ordinal)];
        Row.Handled = [.. _handled.Order(StringComparer.Ordinal)];
        return _row.WriteAsync(Row);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Search {Search} took over {Count} ambs of another search")]
    private partial void LogMerged(int count, string search);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search {Search}: no choice of amb {Amb} is consistent with what is believed")]
    private partial void LogExhausted(string search, string amb);
}
