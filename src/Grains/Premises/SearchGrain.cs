using Microsoft.Extensions.Logging;
using OrleansSync.Cells;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Premises;
using OrleansSync.Search;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// One search (<see cref="ISearchGrain"/>): the ambs that share contradictions, as a <see cref="BeliefSearch"/> kept in
/// memory and stored in one row that grows with this search only. Contradiction reports are stored as they come; the
/// decision — learn the nogoods of the contradictions present, settle, tell the premises what changed — waits until
/// the network's propagation is quiescent (<see cref="QuiescenceWatcher"/>), so it does not depend on the order
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
    // Networks whose quiescence waits for this search's next decision: its own, and any whose input reported here.
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private SearchStatistics _statistics = SearchStatistics.None;
    private SearchStatistics _told = SearchStatistics.None;
    private SearchStatistics _counted = SearchStatistics.None;
    private HashSet<string> _exhausted = new(StringComparer.Ordinal);
    private string? _mergedInto;
    private string _network = "";
    // Set while this search decides or takes another over: a hand-over waits for it, so a search never gives away
    // what it is still deciding on. (Hand-overs interleave: the search may be waiting for the one taking it over.)
    private TaskCompletionSource? _busy;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _row = new GrainRow<SearchRow>(CellStorage.Of(ServiceProvider), "search", "search", Key);
        await _row.ReadAsync();
        var row = _row.State;
        _mergedInto = row.MergedInto;
        _network = row.Network;
        _search = new BeliefSearch(row.KickedOut, row.Nogoods.Select(n => PremiseSet.Of(n)), row.Ambs);
        foreach (var r in row.Reports)
            _reports[r.Cell] = new ReportedContradiction(r.Cell, new CellStamp(r.Incarnation, r.Version), r.Contradiction as Contradiction, r.Ambs, r.Handled);
        _statistics = _told = new SearchStatistics(row.ContradictionsHandled, row.NogoodsLearned, row.ChoicesTried, row.Backtracks);
        _exhausted = [.. row.Exhausted.Keys];
        _watching.UnionWith(row.Watching);
        _handled.UnionWith(row.Handled);
        // A decision this search owed before it went (a crash, or an idle collection) is owed still.
        if (_mergedInto is null && _reports.Values.Any(r => !r.Handled)) RequestDecision(_network);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The counters are this silo's: release what this activation holds (the next one asks again from its stored reports).
        ReleaseDecision();
        return Task.CompletedTask;
    }

    public async Task RegisterAmb(AmbChoice amb, string network)
    {
        if (_mergedInto is not null || _search.Ambs.Any(a => a.Id == amb.Id)) return;
        if (amb.Id != Key) throw new ArgumentException($"amb '{amb.Id}' starts a search of its own, not '{Key}'.");
        if (amb.Premises.Count == 0) throw new ArgumentException($"amb '{amb.Id}' has no choices.");
        _network = network;
        _search.AddAmb(amb);
        _search.Settle();
        Account(handled: 0);
        await Store();
        // Awaited: the amb writes its choices only once every choice's premise believes what the search decided.
        await Task.WhenAll(amb.Premises.Select(p => GrainFactory.GetGrain<IPremiseGrain>(p).Choose(amb.Id, _search.Believes(p), network)));
        // An amb earlier in search order than others re-decides those after it.
        TellChoices([tracker.For(network), tracker.For(_network)], except: amb.Id);
        TellBoard();
    }

    public async Task Report(string cellId, CellStamp stamp, Contradiction? contradiction, IReadOnlyList<string> ambs, string network)
    {
        if (_mergedInto is { } into)
        {
            await GrainFactory.GetGrain<ISearchGrain>(into).Report(cellId, stamp, contradiction, ambs, network);
            return;
        }
        if (_reports.TryGetValue(cellId, out var known) && known.Stamp >= stamp) return;
        _reports[cellId] = new ReportedContradiction(cellId, stamp, contradiction, contradiction is null ? known?.Ambs ?? [] : ambs, Handled: false);
        // Stored before it is answered: a report that reached this search is never lost to a crash.
        await Store();
        RequestDecision(network);
    }

    public async Task PremiseChanged(string premise, string network)
    {
        if (_mergedInto is { } into)
        {
            await GrainFactory.GetGrain<ISearchGrain>(into).PremiseChanged(premise, network);
            return;
        }
        RequestDecision(network);
    }

    public async Task Decide()
    {
        if (_mergedInto is not null || _pending.Count == 0) return;
        Busy();
        try
        {
            await Settle();
        }
        catch (Exception error)
        {
            // Nothing is lost: the reports are stored and still unhandled, and the next change asks again.
            LogDecideFailed(error, Key);
        }
        finally
        {
            Idle();
            ReleaseDecision();
        }
    }

    public async Task<string> Root()
    {
        if (_mergedInto is not { } into) return Key;
        var root = await GrainFactory.GetGrain<ISearchGrain>(into).Root();
        // Shorter path for the next lookup (kept in memory; stored with the next write).
        _mergedInto = root;
        return root;
    }

    public async Task<SearchState?> HandOver(string into)
    {
        while (_busy is { } busy) await busy.Task;
        // Already taken over by another: the caller looks again for the search to unite with.
        if (_mergedInto is not null) return null;
        var state = new SearchState([.. _search.Ambs], [.. _search.Nogoods], [.. _search.KickedOut], [.. _reports.Values], _statistics, _network,
            [.. _exhausted], [.. _handled]);
        await _row.WriteAsync(new SearchRow { MergedInto = into, Network = _network });
        _mergedInto = into;
        _reports.Clear();
        // The search taking this over decides for both from now on.
        ReleaseDecision();
        return state;
    }

    public async Task Unite(IReadOnlyList<string> ambs)
    {
        while (true)
        {
            if (_mergedInto is { } into)
            {
                await GrainFactory.GetGrain<ISearchGrain>(into).Unite(ambs);
                return;
            }
            var roots = new SortedSet<string>(StringComparer.Ordinal) { Key };
            foreach (var amb in ambs.Distinct(StringComparer.Ordinal)) roots.Add(await GrainFactory.GetGrain<ISearchGrain>(amb).Root());
            // Taken over while looking (hand-overs interleave): that search unites them.
            if (_mergedInto is not null) continue;
            if (roots.Count == 1) return;
            if (roots.Min != Key)
            {
                // The smallest takes the others over; this one waits for it without holding anything.
                await GrainFactory.GetGrain<ISearchGrain>(roots.Min!).Unite(ambs);
                return;
            }
            var again = false;
            Busy();
            try
            {
                foreach (var root in roots.Where(r => r != Key))
                {
                    if (await GrainFactory.GetGrain<ISearchGrain>(root).HandOver(Key) is { } state)
                    {
                        Include(state);
                        await Store();
                    }
                    else
                    {
                        again = true;
                    }
                }
            }
            finally
            {
                Idle();
            }
            if (!again) return;
        }
    }

    public Task<SearchStatistics> GetStatistics() => Task.FromResult(_statistics);

    private void Busy() => _busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Idle()
    {
        var busy = _busy;
        _busy = null;
        busy?.TrySetResult();
    }

    private void Include(SearchState other)
    {
        if (_network.Length == 0) _network = other.Network;
        var kickedOut = other.KickedOut.ToHashSet(StringComparer.Ordinal);
        foreach (var amb in other.Ambs) _search.Include(amb, kickedOut);
        foreach (var nogood in other.Nogoods) _search.Learn(nogood);
        foreach (var report in other.Contradictions)
            if (!_reports.TryGetValue(report.CellId, out var known) || known.Stamp < report.Stamp) _reports[report.CellId] = report;
        // What the other search did was counted (and told) there; relearning its nogoods here is not new work.
        _counted = _search.Statistics;
        _statistics += other.Statistics;
        _told += other.Statistics;
        _handled.UnionWith(other.Handled);
        _exhausted.UnionWith(other.Exhausted);
        LogMerged(other.Ambs.Count, Key);
    }

    /// <summary>Learns from the contradictions present, brings ordinary beliefs up to date, settles, stores, and tells the premises.</summary>
    private async Task Settle()
    {
        var handled = 0;
        var reports = new Dictionary<string, ReportedContradiction>(_reports, StringComparer.Ordinal);
        foreach (var report in reports.Values.OrderBy(r => r.CellId, StringComparer.Ordinal).ToList())
        {
            if (report.Contradiction is null || report.Handled) continue;
            reports[report.CellId] = report with { Handled = true };
            if (!report.Contradiction.Premises.Items.Any(_search.IsHypothetical)) continue;
            if (_handled.Add($"{report.CellId}\n{report.Contradiction.Premises}")) handled++;
            _search.Learn(report.Contradiction.Premises);
        }
        // Reports of cells that are consistent again have done their part.
        foreach (var cleared in reports.Values.Where(r => r.Contradiction is null).Select(r => r.CellId).ToList()) reports.Remove(cleared);

        // Ordinary premises in the nogoods: their beliefs now, and their changes from now on.
        var ordinary = _search.Nogoods.SelectMany(n => n.Items).Where(p => !_search.IsHypothetical(p)).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var info in await Task.WhenAll(ordinary.Select(p => GrainFactory.GetGrain<IPremiseGrain>(p).GetInfo())))
        {
            if (info.In) _search.BringIn(info.Premise);
            else _search.KickOut(info.Premise);
        }
        var unwatched = ordinary.Where(p => !_watching.Contains(p)).ToArray();
        await Task.WhenAll(unwatched.Select(p => GrainFactory.GetGrain<IPremiseGrain>(p).WatchedBy(Key)));
        _watching.UnionWith(unwatched);

        _search.Settle();
        Account(handled);
        _reports.Clear();
        foreach (var (cell, report) in reports) _reports[cell] = report;
        await Store();
        TellChoices(_pending.Select(tracker.For).Append(tracker.For(_network)), except: null);
        TellBoard();
    }

    /// <summary>Tells the premises of the amb choices the last settle changed (but those of <paramref name="except"/>) what the search decided.</summary>
    private void TellChoices(IEnumerable<NetworkCounters> counting, string? except)
    {
        var counters = counting.Distinct().ToArray();
        foreach (var premise in _search.Changes)
        {
            var ambId = _search.AmbOf(premise);
            if (ambId == except) continue;
            var believed = _search.Believes(premise);
            var grain = GrainFactory.GetGrain<IPremiseGrain>(premise);
            var network = _network;
            tracker.Send(counters, () => grain.Choose(ambId, believed, network), $"choice {premise} of {ambId}");
        }
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
        var board = GrainFactory.GetGrain<INetworkGrain>(INetworkGrain.KeyOf(_network));
        var exhausted = _search.Exhausted.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (amb, nogood) in _search.Exhausted.Where(e => !_exhausted.Contains(e.Key)).ToList())
        {
            LogExhausted(Key, amb);
            tracker.Send(_network, () => board.Exhausted(amb, nogood), $"exhausted amb {amb}");
        }
        foreach (var amb in _exhausted.Where(a => !exhausted.Contains(a)).ToList())
            tracker.Send(_network, () => board.Exhausted(amb, null), $"amb {amb} has a choice again");
        _exhausted = exhausted;
        var delta = _statistics - _told;
        _told = _statistics;
        if (!delta.Equals(SearchStatistics.None)) tracker.Send(_network, () => board.AddStatistics(delta), $"statistics of search {Key}");
    }

    /// <summary>Counts a decision as pending for the network (once per network until it is taken) and asks to be called at quiescence.</summary>
    private void RequestDecision(string network)
    {
        var first = _pending.Count == 0;
        if (_pending.Add(network)) Interlocked.Increment(ref tracker.For(network).PendingDecisions);
        if (_network != network && _pending.Add(_network)) Interlocked.Increment(ref tracker.For(_network).PendingDecisions);
        if (first) watcher.WhenQuiescent(_network, Key);
    }

    private void ReleaseDecision()
    {
        foreach (var network in _pending) Interlocked.Decrement(ref tracker.For(network).PendingDecisions);
        _pending.Clear();
    }

    private Task Store() => _row.WriteAsync(new SearchRow
    {
        MergedInto = _mergedInto,
        Network = _network,
        Ambs = [.. _search.Ambs],
        Nogoods = [.. _search.Nogoods.Select(n => n.Items.ToList())],
        KickedOut = [.. _search.KickedOut.Order(StringComparer.Ordinal)],
        Reports = [.. _reports.Values.Select(r => new SearchReport
        {
            Cell = r.CellId, Incarnation = r.Stamp.Incarnation, Version = r.Stamp.Version, Contradiction = r.Contradiction, Handled = r.Handled, Ambs = [.. r.Ambs],
        })],
        ContradictionsHandled = _statistics.ContradictionsHandled,
        NogoodsLearned = _statistics.NogoodsLearned,
        ChoicesTried = _statistics.ChoicesTried,
        Backtracks = _statistics.Backtracks,
        Exhausted = _search.Exhausted.ToDictionary(e => e.Key, e => e.Value.Items.ToList()),
        Watching = [.. _watching.Order(StringComparer.Ordinal)],
        Handled = [.. _handled.Order(StringComparer.Ordinal)],
    });

    [LoggerMessage(Level = LogLevel.Debug, Message = "Search {Search} took over {Count} ambs of another search")]
    private partial void LogMerged(int count, string search);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search {Search}: no choice of amb {Amb} is consistent with what is believed")]
    private partial void LogExhausted(string search, string amb);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search {Search} could not decide; it decides at the next change")]
    private partial void LogDecideFailed(Exception error, string search);
}
