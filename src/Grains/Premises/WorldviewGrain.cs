using Microsoft.Extensions.Logging;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Premises;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// The one place beliefs change, so the search is sequential and deterministic even though cells and
/// propagators run everywhere. After storing a change it tells the premise grains whose belief changed
/// (one-way, counted for quiescence); they tell their cells. Nogoods are facts whatever the timing of the
/// report that carried them, so a late report can add a nogood but never make a wrong choice.
/// </summary>
[GrainType("worldview")]
public sealed partial class WorldviewGrain(
    [PersistentState("worldview", CellStorage.ProviderName)] IPersistentState<WorldviewState> state,
    PropagationTracker tracker,
    ILogger<WorldviewGrain> logger) : Grain, IWorldviewGrain
{
    private WorldviewSnapshot _stored = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stored = Snapshot();
        return Task.CompletedTask;
    }

    public Task<WorldviewSnapshot> KickOut(string premise) => Change(search =>
    {
        ValidatePremise(premise);
        search.KickOut(premise);
    });

    public Task<WorldviewSnapshot> BringIn(string premise) => Change(search =>
    {
        ValidatePremise(premise);
        search.BringIn(premise);
    });

    public async Task RegisterAmb(string ambId, IReadOnlyList<string> premises)
    {
        if (state.State.Ambs.Any(a => a.Id == ambId)) return;
        if (premises.Count == 0) throw new ArgumentException($"amb '{ambId}' has no choices.");
        await Change(search => search.AddAmb(new AmbChoice(ambId, [.. premises])));
    }

    public async Task ReportContradiction(string cellId, long version, Contradiction contradiction)
    {
        // Reports travel one-way and may overtake each other: the cell's version orders them.
        if (state.State.ReportVersions.GetValueOrDefault(cellId, -1) >= version) return;
        var nogood = contradiction.Premises;
        await Change(search =>
        {
            state.State.ReportVersions[cellId] = version;
            search.Learn(nogood);
            state.State.Contradictions[cellId] = new StoredContradiction
            {
                Reason = contradiction.Reason,
                Nogood = [.. nogood.Items],
                // Search can only retract hypotheticals; anything else is for the caller to retract.
                Unresolvable = !nogood.Items.Any(search.IsHypothetical),
            };
        });
        if (state.State.Contradictions.TryGetValue(cellId, out var recorded) && recorded.Unresolvable) LogUnresolvable(cellId, contradiction);
    }

    public async Task ReportResolved(string cellId, long version)
    {
        if (state.State.ReportVersions.GetValueOrDefault(cellId, -1) >= version) return;
        await Change(_ =>
        {
            state.State.ReportVersions[cellId] = version;
            state.State.Contradictions.Remove(cellId);
        });
    }

    public Task<PremiseBelief> GetBelief(string premise) =>
        Task.FromResult(new PremiseBelief(!_stored.KickedOut.Contains(premise), _stored.Version));

    public Task<WorldviewSnapshot> GetSnapshot() => Task.FromResult(_stored);

    /// <summary>Applies a change, settles the search, stores, then announces the beliefs that changed.</summary>
    private async Task<WorldviewSnapshot> Change(Action<BeliefSearch> change)
    {
        var s = state.State;
        var before = s.KickedOut.ToHashSet();
        var search = new BeliefSearch(s.KickedOut, s.Nogoods.Select(n => PremiseSet.Of(n)), s.Ambs);
        change(search);
        search.Settle();

        var previous = Copy(s);
        s.KickedOut = [.. search.KickedOut.Order(StringComparer.Ordinal)];
        s.Nogoods = [.. search.Nogoods.Select(n => n.Items.ToList())];
        s.Ambs = [.. search.Ambs];
        foreach (var key in s.Contradictions.Keys.Where(k => k.StartsWith("amb:", StringComparison.Ordinal)).ToList()) s.Contradictions.Remove(key);
        foreach (var (amb, nogood) in search.Exhausted)
            s.Contradictions[$"amb:{amb}"] = new StoredContradiction
            {
                Reason = $"no choice of amb '{amb}' is consistent with the premises believed",
                Nogood = [.. nogood.Items],
                Unresolvable = true,
            };
        var changed = ChangedPremises(before, s.KickedOut);
        s.Version++;
        await state.WriteOrRestoreAsync(previous);
        _stored = Snapshot();
        foreach (var premise in changed)
        {
            var belief = new PremiseBelief(!_stored.KickedOut.Contains(premise), s.Version);
            var grain = GrainFactory.GetGrain<IPremiseGrain>(premise);
            tracker.Send(() => grain.Believe(belief), $"belief in {premise}");
        }
        return _stored;
    }

    private WorldviewSnapshot Snapshot()
    {
        var s = state.State;
        return new WorldviewSnapshot(s.Version, PremiseSet.Of(s.KickedOut), [.. s.Nogoods.Select(n => PremiseSet.Of(n))],
            [.. s.Contradictions.OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new ContradictionRecord(c.Key, c.Value.Reason, PremiseSet.Of(c.Value.Nogood), c.Value.Unresolvable))]);
    }

    private static WorldviewState Copy(WorldviewState s) => new()
    {
        Version = s.Version,
        KickedOut = [.. s.KickedOut],
        Nogoods = [.. s.Nogoods.Select(n => n.ToList())],
        Ambs = [.. s.Ambs],
        Contradictions = new Dictionary<string, StoredContradiction>(s.Contradictions),
        ReportVersions = new Dictionary<string, long>(s.ReportVersions),
    };

    private static List<string> ChangedPremises(HashSet<string> before, IEnumerable<string> after)
    {
        var changed = new HashSet<string>(before);
        changed.SymmetricExceptWith(after);
        return [.. changed.Order(StringComparer.Ordinal)];
    }

    private static void ValidatePremise(string premise)
    {
        if (string.IsNullOrWhiteSpace(premise)) throw new ArgumentException("A premise needs a name.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} holds a contradiction no search can resolve: {Contradiction}")]
    private partial void LogUnresolvable(string cellId, Contradiction contradiction);
}
