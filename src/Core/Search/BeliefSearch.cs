using OrleansSync.Lattice;

namespace OrleansSync.Search;

/// <summary>
/// Dependency-directed backtracking over amb choices (Radul and Sussman §6.3, SDF's <c>p:amb</c>), as
/// plain code over sets. Premises are believed unless kicked out. Every amb believes exactly one of its
/// hypothetical premises: the first, in the amb's order, that no nogood blocks. A nogood that is fully
/// believed is a contradiction in the current worldview; among those the one with the fewest hypotheticals
/// is resolved by kicking out its first hypothetical in search order (the culprit), whose amb then chooses again. An amb with
/// every choice blocked learns the union of what blocks them as a new nogood (resolution); a nogood without
/// hypotheticals cannot be resolved by search and is reported.
/// </summary>
/// <remarks>
/// All iteration orders are fixed (ambs by the cell they choose for, choices in their order, premises in ordinal
/// order), so a search is deterministic. Nogoods are indexed by premise and only those touching a premise that came in are checked
/// again, so a step costs what it touches, not the size of the whole search.
/// </remarks>
public sealed class BeliefSearch
{
    private const int MaxSteps = 1_000_000;

    private static readonly Comparer<AmbChoice> InSearchOrder = Comparer<AmbChoice>.Create((a, b) =>
        string.CompareOrdinal(a.Order, b.Order) is var byOrder and not 0 ? byOrder : string.CompareOrdinal(a.Id, b.Id));

    private readonly HashSet<string> _out;
    private readonly List<PremiseSet> _nogoods = [];
    private readonly Dictionary<string, List<PremiseSet>> _nogoodsOf = new(StringComparer.Ordinal);
    private readonly List<AmbChoice> _ambs = [];
    private readonly Dictionary<string, AmbChoice> _ambOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ambIds = new(StringComparer.Ordinal);
    // Where each amb stands in the search order: ranks premises (and so culprits and ties) by the names users give,
    // never by generated ids.
    private readonly Dictionary<string, int> _position = new(StringComparer.Ordinal);
    // Nogoods that may have become fully believed since the last look: learned ones and those of premises that came in.
    private readonly HashSet<PremiseSet> _suspects = [];

    public BeliefSearch(IEnumerable<string> kickedOut, IEnumerable<PremiseSet> nogoods, IEnumerable<AmbChoice> ambs)
    {
        _out = new HashSet<string>(kickedOut, StringComparer.Ordinal);
        foreach (var amb in ambs) Register(amb);
        foreach (var nogood in nogoods) Learn(nogood);
        // What was stored was counted when it was learned.
        Statistics = SearchStatistics.None;
    }

    public IReadOnlyCollection<string> KickedOut => _out;

    public IReadOnlyList<PremiseSet> Nogoods => _nogoods;

    public IReadOnlyList<AmbChoice> Ambs => _ambs;

    /// <summary>Ambs whose every choice is blocked by a nogood without hypotheticals, with that nogood.</summary>
    public Dictionary<string, PremiseSet> Exhausted { get; } = [];

    /// <summary>Nogoods learned, choices made and culprits kicked out over this search's life.</summary>
    public SearchStatistics Statistics { get; private set; } = SearchStatistics.None;

    public bool Believes(string premise) => !_out.Contains(premise);

    public bool IsHypothetical(string premise) => _ambOf.ContainsKey(premise);

    public void KickOut(string premise) => _out.Add(premise);

    public void BringIn(string premise)
    {
        if (_out.Remove(premise)) Suspect(premise);
    }

    /// <summary>Adds an amb; until it is chosen (<see cref="Settle"/>) none of its choices is believed.</summary>
    public void AddAmb(AmbChoice amb)
    {
        if (_ambIds.Contains(amb.Id)) return;
        Register(amb);
        foreach (var premise in amb.Premises) _out.Add(premise);
    }

    /// <summary>Adds an amb as another search left it (two searches merging): its choices keep their beliefs.</summary>
    public void Include(AmbChoice amb, IReadOnlySet<string> kickedOut)
    {
        if (_ambIds.Contains(amb.Id)) return;
        Register(amb);
        foreach (var premise in amb.Premises)
        {
            if (kickedOut.Contains(premise)) _out.Add(premise);
            else if (_out.Remove(premise)) Suspect(premise);
        }
    }

    /// <summary>Records an amb as it was stored: its beliefs come with the kicked-out set.</summary>
    private void Register(AmbChoice amb)
    {
        if (!_ambIds.Add(amb.Id)) return;
        // Kept in order (see AmbChoice.Order), whatever order they came in: two searches merged in either order search alike.
        var at = _ambs.BinarySearch(amb, InSearchOrder);
        _ambs.Insert(at < 0 ? ~at : at, amb);
        foreach (var premise in amb.Premises) _ambOf[premise] = amb;
        // Positions are rebuilt at the next comparison, once for any number of ambs added meanwhile.
        _position.Clear();
    }

    private int Position(AmbChoice amb)
    {
        if (_position.Count == 0)
            for (var i = 0; i < _ambs.Count; i++) _position[_ambs[i].Id] = i;
        return _position[amb.Id];
    }

    /// <summary>
    /// The search order of premises: an amb's choices by the amb's place and the choice's, before any other premise
    /// (those by name).
    /// </summary>
    private int CompareRank(string a, string b)
    {
        var ambA = _ambOf.GetValueOrDefault(a);
        var ambB = _ambOf.GetValueOrDefault(b);
        if (ambA is null || ambB is null) return ambA is null && ambB is null ? string.CompareOrdinal(a, b) : ambA is null ? 1 : -1;
        var byAmb = Position(ambA).CompareTo(Position(ambB));
        if (byAmb != 0) return byAmb;
        return IndexOf(ambA, a).CompareTo(IndexOf(ambB, b));
    }

    private static int IndexOf(AmbChoice amb, string premise)
    {
        for (var i = 0; i < amb.Premises.Count; i++)
            if (amb.Premises[i] == premise) return i;
        return -1;
    }

    /// <summary>Nogoods by size, then by their premises in search order.</summary>
    private int CompareNogoods(PremiseSet a, PremiseSet b)
    {
        if (a.Count != b.Count) return a.Count.CompareTo(b.Count);
        var left = a.Items.Order(Comparer<string>.Create(CompareRank)).ToArray();
        var right = b.Items.Order(Comparer<string>.Create(CompareRank)).ToArray();
        for (var i = 0; i < left.Length; i++)
        {
            var c = CompareRank(left[i], right[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    /// <summary>
    /// Records a nogood unless a known one is a subset of it; drops known ones it is a subset of. Only
    /// nogoods with a hypothetical are kept: the others can never block a choice, and the empty nogood
    /// (the facts alone are contradictory), being a subset of every set, would wipe out all the rest.
    /// </summary>
    public bool Learn(PremiseSet nogood)
    {
        if (!nogood.Items.Any(IsHypothetical)) return false;
        foreach (var known in Candidates(nogood))
            if (known.IsSubsetOf(nogood)) return false;
        foreach (var known in Candidates(nogood).Where(nogood.IsSubsetOf).ToList()) Forget(known);
        _nogoods.Add(nogood);
        foreach (var premise in nogood.Items)
        {
            if (!_nogoodsOf.TryGetValue(premise, out var list)) _nogoodsOf[premise] = list = [];
            list.Add(nogood);
        }
        _suspects.Add(nogood);
        Statistics = Statistics.Learned();
        return true;
    }

    /// <summary>Chooses and backtracks until every amb believes one unblocked choice or is exhausted.</summary>
    public void Settle()
    {
        Exhausted.Clear();
        for (var step = 0; step < MaxSteps; step++)
        {
            var violated = MostUrgentViolation();
            if (violated is not null)
            {
                // The nogood's first choice in search order is retracted (MIT's first hypothetical, by names users give).
                var culprit = violated.Items.Where(IsHypothetical).Min(Comparer<string>.Create(CompareRank))!;
                _out.Add(culprit);
                Statistics = Statistics.Backtracked();
                Choose(_ambOf[culprit]);
                continue;
            }
            var unsettled = _ambs.FirstOrDefault(a => !Exhausted.ContainsKey(a.Id) && a.Premises.Count(Believes) != 1);
            if (unsettled is null) return;
            Choose(unsettled);
        }
        throw new InvalidOperationException($"The search did not settle within {MaxSteps} steps.");
    }

    /// <summary>Among the suspects, the fully believed nogood with the fewest hypotheticals; suspects found innocent are cleared.</summary>
    private PremiseSet? MostUrgentViolation()
    {
        PremiseSet? best = null;
        var bestHypotheticals = int.MaxValue;
        List<PremiseSet>? innocent = null;
        foreach (var nogood in _suspects)
        {
            if (!nogood.Items.All(Believes))
            {
                (innocent ??= []).Add(nogood);
                continue;
            }
            var hypotheticals = nogood.Items.Count(IsHypothetical);
            if (best is null || hypotheticals < bestHypotheticals || (hypotheticals == bestHypotheticals && CompareNogoods(nogood, best) < 0))
            {
                best = nogood;
                bestHypotheticals = hypotheticals;
            }
        }
        if (innocent is not null) _suspects.ExceptWith(innocent);
        return best;
    }

    private void Choose(AmbChoice amb)
    {
        Statistics = Statistics.Chose();
        foreach (var premise in amb.Premises)
        {
            if (BlockingNogood(premise, amb) is not null) continue;
            foreach (var other in amb.Premises) _out.Add(other);
            _out.Remove(premise);
            Suspect(premise);
            return;
        }
        foreach (var premise in amb.Premises) _out.Add(premise);
        var learned = PremiseSet.Of(amb.Premises.SelectMany(p => BlockingNogood(p, amb)!.Items.Where(q => q != p)));
        if (!Learn(learned) && !learned.Items.Any(IsHypothetical)) Exhausted[amb.Id] = learned;
    }

    /// <summary>A nogood that would be fully believed if <paramref name="premise"/> were the amb's choice.</summary>
    private PremiseSet? BlockingNogood(string premise, AmbChoice amb)
    {
        PremiseSet? best = null;
        foreach (var nogood in _nogoodsOf.GetValueOrDefault(premise) ?? [])
        {
            if (!nogood.Items.All(q => q == premise || (!amb.Premises.Contains(q) && Believes(q)))) continue;
            if (best is null || CompareNogoods(nogood, best) < 0) best = nogood;
        }
        return best;
    }

    private void Suspect(string premise)
    {
        if (_nogoodsOf.TryGetValue(premise, out var nogoods)) _suspects.UnionWith(nogoods);
    }

    /// <summary>Known nogoods sharing a premise with <paramref name="nogood"/> (the only ones that can be its subset or superset, unless it is empty).</summary>
    private IEnumerable<PremiseSet> Candidates(PremiseSet nogood) =>
        nogood.Count == 0 ? _nogoods : nogood.Items.SelectMany(p => _nogoodsOf.GetValueOrDefault(p) ?? []).Distinct();

    private void Forget(PremiseSet nogood)
    {
        _nogoods.Remove(nogood);
        _suspects.Remove(nogood);
        foreach (var premise in nogood.Items)
            if (_nogoodsOf.TryGetValue(premise, out var list)) list.Remove(nogood);
    }
}

/// <summary>
/// An amb and its hypothetical premises, in order of preference. Ambs are searched in the order of <see cref="Order"/>
/// (the cell the amb chooses for, then the id): names a user gives, so the same network searches alike every time.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.amb-choice")]
public sealed class AmbChoice(string id, IReadOnlyList<string> premises, string? order = null)
{
    [Id(0)] internal readonly string _id = id;
    [Id(1)] internal readonly IReadOnlyList<string> _premises = premises;
    [Id(2)] internal readonly string? _order = order;

    public string Id => _id;

    public IReadOnlyList<string> Premises => _premises;

    public string Order => _order ?? _id;
}
