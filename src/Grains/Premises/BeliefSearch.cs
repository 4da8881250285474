using OrleansSync.Lattice;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// Dependency-directed backtracking over amb choices (Radul and Sussman §6.3, SDF's <c>p:amb</c>), as
/// plain code over sets. Premises are believed unless kicked out. Every amb believes exactly one of its
/// hypothetical premises: the first, in the amb's order, that no nogood blocks. A nogood that is fully
/// believed is a contradiction in the current worldview; among those the one with the fewest hypotheticals
/// is resolved by kicking out its first hypothetical (the culprit), whose amb then chooses again. An amb with
/// every choice blocked learns the union of what blocks them as a new nogood (resolution); a nogood without
/// hypotheticals cannot be resolved by search and is reported.
/// </summary>
/// <remarks>All iteration orders are fixed (amb registration order, choice order, ordinal premise order), so a search is deterministic.</remarks>
public sealed class BeliefSearch
{
    private const int MaxSteps = 1_000_000;

    private static readonly Comparer<PremiseSet> BySizeThenText = Comparer<PremiseSet>.Create((a, b) => a.CompareTo(b));

    private readonly HashSet<string> _out;
    private readonly List<PremiseSet> _nogoods;
    private readonly List<AmbChoice> _ambs;
    private readonly Dictionary<string, AmbChoice> _ambOf = [];

    public BeliefSearch(IEnumerable<string> kickedOut, IEnumerable<PremiseSet> nogoods, IEnumerable<AmbChoice> ambs)
    {
        _out = [.. kickedOut];
        _nogoods = [.. nogoods];
        _ambs = [.. ambs];
        foreach (var amb in _ambs)
            foreach (var premise in amb.Premises) _ambOf[premise] = amb;
    }

    public IReadOnlyCollection<string> KickedOut => _out;

    public IReadOnlyList<PremiseSet> Nogoods => _nogoods;

    public IReadOnlyList<AmbChoice> Ambs => _ambs;

    /// <summary>Ambs whose every choice is blocked by a nogood without hypotheticals, with that nogood.</summary>
    public Dictionary<string, PremiseSet> Exhausted { get; } = [];

    public bool Believes(string premise) => !_out.Contains(premise);

    public bool IsHypothetical(string premise) => _ambOf.ContainsKey(premise);

    public void KickOut(string premise) => _out.Add(premise);

    public void BringIn(string premise) => _out.Remove(premise);

    public void AddAmb(AmbChoice amb)
    {
        if (_ambs.Any(a => a.Id == amb.Id)) return;
        _ambs.Add(amb);
        foreach (var premise in amb.Premises) _ambOf[premise] = amb;
        // Until chosen, no choice is believed.
        foreach (var premise in amb.Premises) _out.Add(premise);
    }

    /// <summary>
    /// Records a nogood unless a known one is a subset of it; drops known ones it is a subset of. Only
    /// nogoods with a hypothetical are kept: the others can never block a choice, and the empty nogood
    /// (the facts alone are contradictory), being a subset of every set, would wipe out all the rest.
    /// </summary>
    public bool Learn(PremiseSet nogood)
    {
        if (!nogood.Items.Any(IsHypothetical) || _nogoods.Any(n => n.IsSubsetOf(nogood))) return false;
        _nogoods.RemoveAll(n => nogood.IsSubsetOf(n));
        _nogoods.Add(nogood);
        return true;
    }

    /// <summary>Chooses and backtracks until every amb believes one unblocked choice or is exhausted.</summary>
    public void Settle()
    {
        Exhausted.Clear();
        for (var step = 0; step < MaxSteps; step++)
        {
            var violated = _nogoods
                .Where(n => n.Items.All(Believes) && n.Items.Any(IsHypothetical))
                .OrderBy(n => n.Items.Count(IsHypothetical)).ThenBy(n => n, BySizeThenText)
                .FirstOrDefault();
            if (violated is not null)
            {
                var culprit = violated.Items.First(IsHypothetical);
                _out.Add(culprit);
                Choose(_ambOf[culprit]);
                continue;
            }
            var unsettled = _ambs.FirstOrDefault(a => !Exhausted.ContainsKey(a.Id) && a.Premises.Count(Believes) != 1);
            if (unsettled is null) return;
            Choose(unsettled);
        }
        throw new InvalidOperationException($"The search did not settle within {MaxSteps} steps.");
    }

    private void Choose(AmbChoice amb)
    {
        foreach (var premise in amb.Premises)
        {
            if (BlockingNogood(premise, amb) is not null) continue;
            foreach (var other in amb.Premises) _out.Add(other);
            _out.Remove(premise);
            return;
        }
        foreach (var premise in amb.Premises) _out.Add(premise);
        var learned = PremiseSet.Of(amb.Premises.SelectMany(p => BlockingNogood(p, amb)!.Items.Where(q => q != p)));
        if (!Learn(learned) && !learned.Items.Any(IsHypothetical)) Exhausted[amb.Id] = learned;
    }

    /// <summary>A nogood that would be fully believed if <paramref name="premise"/> were the amb's choice.</summary>
    private PremiseSet? BlockingNogood(string premise, AmbChoice amb) =>
        _nogoods
            .Where(n => n.Contains(premise) && n.Items.All(q => q == premise || (!amb.Premises.Contains(q) && Believes(q))))
            .OrderBy(n => n.Count).ThenBy(n => n, BySizeThenText)
            .FirstOrDefault();
}

/// <summary>An amb and its hypothetical premises, in order of preference.</summary>
[GenerateSerializer, Immutable, Alias("os.amb-choice")]
public sealed record AmbChoice([property: Id(0)] string Id, [property: Id(1)] IReadOnlyList<string> Premises);
