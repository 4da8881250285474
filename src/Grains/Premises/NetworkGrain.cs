using Microsoft.Extensions.Logging;
using OrleansSync.Cells;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Premises;
using OrleansSync.Search;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// One network's board (<see cref="INetworkGrain"/>). Cells report their contradictions here, in version order per
/// cell; a contradiction that mentions amb choices goes on to the search of those ambs. What the board holds is what
/// the network's quiescence report lists.
/// </summary>
[GrainType("network")]
public sealed partial class NetworkGrain(PropagationTracker tracker, ILogger<NetworkGrain> logger) : Grain, INetworkGrain
{
    /// <summary>How long the stamp of a cleared contradiction is kept to reject a report that arrives late.</summary>
    private static readonly TimeSpan RememberCleared = TimeSpan.FromMinutes(1);

    private GrainRow<NetworkState> _row = null!;

    private string Network => INetworkGrain.NetworkOf(this.GetPrimaryKeyString());

    private NetworkState State => _row.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _row = new GrainRow<NetworkState>(CellStorage.Of(ServiceProvider), "network", "network", this.GetPrimaryKeyString());
        await _row.ReadAsync();
    }

    public async Task Report(string cellId, CellStamp stamp, Contradiction? contradiction, IReadOnlyList<string> ambs)
    {
        // Reports travel one-way and may overtake each other: the cell's stamp orders them.
        if (stamp <= Known(cellId)) return;
        var previous = State.Contradictions.GetValueOrDefault(cellId);
        if (contradiction is not null)
        {
            State.Contradictions[cellId] = new BoardEntry
            {
                Reason = contradiction.Reason,
                Nogood = [.. contradiction.Premises.Items],
                // Search can only retract amb choices; anything else is for the caller to retract.
                Unresolvable = ambs.Count == 0,
                Incarnation = stamp.Incarnation,
                Version = stamp.Version,
                Ambs = [.. ambs],
            };
            State.Cleared.Remove(cellId);
            if (ambs.Count == 0) LogUnresolvable(Network, cellId, contradiction);
        }
        else
        {
            State.Contradictions.Remove(cellId);
            State.Cleared[cellId] = new ClearedEntry { Incarnation = stamp.Incarnation, Version = stamp.Version, At = DateTimeOffset.UtcNow };
        }
        Prune();
        await _row.WriteAsync(State);
        var searchAmbs = contradiction is not null ? ambs : previous?.Ambs ?? [];
        if (searchAmbs.Count == 0) return;
        var search = GrainFactory.GetGrain<ISearchGrain>(searchAmbs.Min(StringComparer.Ordinal)!);
        // Ambs of several searches in one contradiction: one search from now on, before anything decides on it.
        if (contradiction is not null && searchAmbs.Count > 1)
        {
            try
            {
                await search.Unite(searchAmbs);
            }
            catch (Exception error)
            {
                // The report still goes to a search of these ambs; the next contradiction linking them unites them.
                LogUniteFailed(error, cellId);
            }
        }
        var network = Network;
        tracker.Send(network, () => search.Report(cellId, stamp, contradiction, searchAmbs, network), $"contradiction of {cellId} to its search");
    }

    public async Task Exhausted(string ambId, PremiseSet? nogood)
    {
        var source = $"amb:{ambId}";
        if (nogood is null)
        {
            if (!State.Contradictions.Remove(source)) return;
        }
        else
        {
            State.Contradictions[source] = new BoardEntry
            {
                Reason = $"no choice of amb '{ambId}' is consistent with the premises believed",
                Nogood = [.. nogood.Items],
                Unresolvable = true,
            };
        }
        await _row.WriteAsync(State);
    }

    public async Task AddStatistics(SearchStatistics delta)
    {
        State.ContradictionsHandled += delta.ContradictionsHandled;
        State.NogoodsLearned += delta.NogoodsLearned;
        State.ChoicesTried += delta.ChoicesTried;
        State.Backtracks += delta.Backtracks;
        await _row.WriteAsync(State);
    }

    public Task<NetworkReport> GetReport() => Task.FromResult(new NetworkReport(
        [.. State.Contradictions.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new ContradictionRecord(c.Key, c.Value.Reason, PremiseSet.Of(c.Value.Nogood), c.Value.Unresolvable))],
        new SearchStatistics(State.ContradictionsHandled, State.NogoodsLearned, State.ChoicesTried, State.Backtracks)));

    private CellStamp Known(string cellId) =>
        State.Contradictions.TryGetValue(cellId, out var held) ? new CellStamp(held.Incarnation, held.Version)
        : State.Cleared.TryGetValue(cellId, out var cleared) ? new CellStamp(cleared.Incarnation, cleared.Version)
        : CellStamp.None;

    private void Prune()
    {
        var before = DateTimeOffset.UtcNow - RememberCleared;
        foreach (var stale in State.Cleared.Where(c => c.Value.At < before).Select(c => c.Key).ToList()) State.Cleared.Remove(stale);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Uniting the searches of the contradiction of cell {CellId} failed")]
    private partial void LogUniteFailed(Exception error, string cellId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Network '{Network}': cell {CellId} holds a contradiction no search can resolve: {Contradiction}")]
    private partial void LogUnresolvable(string network, string cellId, Contradiction contradiction);
}
