using OrleansSync.Lattice;

namespace OrleansSync.Search;

/// <summary>
/// The amb search (Radul and Sussman §6.3, SDF's <c>p:amb</c>) as plain code over sets: premises are believed unless
/// kicked out, and every amb believes exactly one of its hypothetical premises. The choices are always the first
/// assignment, in search order (ambs by the cell they choose for, each amb's choices in its order), that no known
/// nogood rules out: a backtracking search with conflict-directed backjumping and nogood learning. An amb takes its
/// first choice that no nogood over earlier ambs' choices (and believed ordinary premises) blocks; when every choice
/// is blocked, the union of what blocks them, less the amb's own choices, is learned, and the search jumps back to
/// the latest amb it names. Learning without hypotheticals means no choice of that amb can work whatever the
/// search does: the amb is exhausted (reported) and holds no choice.
/// </summary>
/// <remarks>
/// <para>
/// The choices are a function of the ambs, the nogoods and the ordinary beliefs, not of the order nogoods were
/// learned in, and a learned nogood that is true (every contradiction the network finds is) never rules out a
/// consistent assignment. So a search that goes on until the network has no contradiction ends on the first
/// consistent assignment in search order, however its contradictions were found: on one silo or many, whichever
/// report came first, and with whatever extra true nogoods timing let the network find on the way. How many
/// contradictions, nogoods and choices it took can differ between runs; the answer cannot.
/// </para>
/// <para>
/// A change re-decides only the ambs from the earliest one it can affect, so a step costs what it touches.
/// </para>
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
    // Where each amb stands in the search order: ranks premises (and so ties) by the names users give, never by generated ids.
    private readonly Dictionary<string, int> _position = new(StringComparer.Ordinal);
    // The earliest amb (in search order) whose choice may no longer be the first unblocked one.
    private int _from;

    public BeliefSearch(IEnumerable<string> kickedOut, IEnumerable<PremiseSet> nogoods, IEnumerable<AmbChoice> ambs)
    {
        _out = new HashSet<string>(kickedOut, StringComparer.Ordinal);
        foreach (var amb in ambs) Register(amb);
        foreach (var nogood in nogoods) Add(nogood);
        // What was stored was counted when it was learned; it may have been decided another way: decide all again.
        Statistics = SearchStatistics.None;
        _from = 0;
    }

    public IReadOnlyCollection<string> KickedOut => _out;

    public IReadOnlyList<PremiseSet> Nogoods => _nogoods;

    public IReadOnlyList<AmbChoice> Ambs => _ambs;

    /// <summary>Ambs none of whose choices can work with the ordinary premises believed, with the nogood that says so.</summary>
    public Dictionary<string, PremiseSet> Exhausted { get; } = [];

    /// <summary>Nogoods learned, choices made (an amb taking a choice it did not hold) and backjumps over this search's life.</summary>
    public SearchStatistics Statistics { get; private set; } = SearchStatistics.None;

    public bool Believes(string premise) => !_out.Contains(premise);

    public bool IsHypothetical(string premise) => _ambOf.ContainsKey(premise);

    /// <summary>The amb a hypothetical premise is a choice of.</summary>
    public string AmbOf(string premise) => _ambOf[premise].Id;

    /// <summary>An ordinary premise stops being believed: nogoods that mention it no longer block anything.</summary>
    public void KickOut(string premise)
    {
        if (_out.Add(premise)) Touch(premise);
    }

    /// <summary>An ordinary premise is believed again: nogoods that mention it block again.</summary>
    public void BringIn(string premise)
    {
        if (_out.Remove(premise)) Touch(premise);
    }

    /// <summary>Adds an amb; until it is chosen (<see cref="Settle"/>) none of its choices is believed.</summary>
    public void AddAmb(AmbChoice amb)
    {
        if (_ambIds.Contains(amb.Id)) return;
        // Until now its choices counted as ordinary premises, believed: nogoods naming them may have blocked the
        // choices of the ambs they name; those ambs decide again.
        var blocking = amb.Premises.SelectMany(p => _nogoodsOf.GetValueOrDefault(p) ?? []).Distinct().ToList();
        Register(amb);
        foreach (var premise in amb.Premises) _out.Add(premise);
        _from = Math.Min(_from, Position(amb));
        foreach (var nogood in blocking) _from = Math.Min(_from, Math.Max(0, Earliest(nogood)));
    }

    /// <summary>Adds an amb as another search left it (two searches merging): its choices keep their beliefs until the next <see cref="Settle"/>.</summary>
    public void Include(AmbChoice amb, IReadOnlySet<string> kickedOut)
    {
        if (_ambIds.Contains(amb.Id)) return;
        Register(amb);
        foreach (var premise in amb.Premises)
        {
            if (kickedOut.Contains(premise)) _out.Add(premise);
            else _out.Remove(premise);
        }
        // Each search decided in its own order: the merged one decides in the merged order.
        _from = 0;
    }

    /// <summary>Records an amb as it was stored: its beliefs come with the kicked-out set.</summary>
    private void Register(AmbChoice amb)
    {
        if (!_ambIds.Add(amb.Id)) return;
        // Kept in order (see AmbChoice.Order), whatever order they came in: two searches merged in either order search alike.
        var at = _ambs.BinarySearch(amb, InSearchOrder);
        _ambs.Insert(at < 0 ? ~at : at, amb);
        foreach (var premise in amb.Premises) _ambOf[premise] = amb;
        // Positions are rebuilt at the next look, once for any number of ambs added meanwhile.
        _position.Clear();
    }

    private int Position(AmbChoice amb)
    {
        if (_position.Count == 0)
            for (var i = 0; i < _ambs.Count; i++) _position[_ambs[i].Id] = i;
        return _position[amb.Id];
    }

    /// <summary>The position of the latest amb a nogood names a choice of; -1 when it names none.</summary>
    private int Latest(PremiseSet nogood)
    {
        var latest = -1;
        foreach (var premise in nogood.Items)
            if (_ambOf.TryGetValue(premise, out var amb)) latest = Math.Max(latest, Position(amb));
        return latest;
    }

    /// <summary>The position of the earliest amb a nogood names a choice of; -1 when it names none.</summary>
    private int Earliest(PremiseSet nogood)
    {
        var earliest = -1;
        foreach (var premise in nogood.Items)
            if (_ambOf.TryGetValue(premise, out var amb) && (earliest < 0 || Position(amb) < earliest)) earliest = Position(amb);
        return earliest;
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
    /// Records a nogood unless a known one is a subset of it; drops known ones it is a subset of. Only nogoods with a
    /// hypothetical are kept: the others can never block a choice, and the empty nogood (the facts alone are
    /// contradictory), being a subset of every set, would wipe out all the rest. A nogood the current choices violate
    /// is a backjump: its latest amb chooses again at the next <see cref="Settle"/>.
    /// </summary>
    public bool Learn(PremiseSet nogood)
    {
        if (!Add(nogood)) return false;
        Statistics = Statistics.Learned();
        if (nogood.Items.All(Believes))
        {
            Statistics = Statistics.Backtracked();
            _from = Math.Min(_from, Latest(nogood));
        }
        return true;
    }

    private bool Add(PremiseSet nogood)
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
        return true;
    }

    /// <summary>The amb choices whose belief the last <see cref="Settle"/> changed, in search order.</summary>
    public IReadOnlyList<string> Changes { get; private set; } = [];

    /// <summary>Decides again every amb from the earliest one a change since the last call can affect.</summary>
    public void Settle()
    {
        Changes = [];
        var at = _from;
        _from = int.MaxValue;
        if (at >= _ambs.Count) return;
        // What each amb holds (for counting choices), and what it held before this call (for the changes).
        var held = new Dictionary<string, string?>(StringComparer.Ordinal);
        var first = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lowest = at;
        Release(at, held, first);
        try
        {
            Decide(at, held, first, ref lowest);
        }
        catch
        {
            // Whatever was taken back must be decided again at the next call, not left without choices.
            _from = Math.Min(_from, lowest);
            throw;
        }
    }

    private void Decide(int at, Dictionary<string, string?> held, Dictionary<string, string?> first, ref int lowest)
    {
        for (var step = 0; step < MaxSteps; step++)
        {
            if (at >= _ambs.Count)
            {
                Changes = Changed(lowest, first);
                return;
            }
            var amb = _ambs[at];
            var choice = amb.Premises.FirstOrDefault(p => BlockingNogood(p, amb) is null);
            if (choice is not null)
            {
                _out.Remove(choice);
                if (held[amb.Id] != choice) Statistics = Statistics.Chose();
                held[amb.Id] = choice;
                at++;
                continue;
            }
            // Every choice is blocked by earlier choices: what blocks them, without this amb, cannot all hold.
            var learned = PremiseSet.Of(amb.Premises.SelectMany(p => BlockingNogood(p, amb)!.Items.Where(q => q != p)));
            if (Add(learned)) Statistics = Statistics.Learned();
            var latest = Latest(learned);
            if (latest < 0)
            {
                Exhausted[amb.Id] = learned;
                held[amb.Id] = null;
                at++;
                continue;
            }
            Statistics = Statistics.Backtracked();
            Release(latest, held, first);
            lowest = Math.Min(lowest, latest);
            at = latest;
        }
        throw new InvalidOperationException($"The search did not settle within {MaxSteps} steps.");
    }

    /// <summary>Takes back the choices of the ambs from <paramref name="at"/> on, remembering what each held first.</summary>
    private void Release(int at, Dictionary<string, string?> held, Dictionary<string, string?> first)
    {
        for (var i = at; i < _ambs.Count; i++)
        {
            var amb = _ambs[i];
            var holding = held[amb.Id] = amb.Premises.FirstOrDefault(Believes);
            first.TryAdd(amb.Id, holding);
            Exhausted.Remove(amb.Id);
            foreach (var premise in amb.Premises) _out.Add(premise);
        }
    }

    /// <summary>The premises of ambs whose choice is not the one they held at first: the old choice (now out) and the new (now in).</summary>
    private List<string> Changed(int from, Dictionary<string, string?> first)
    {
        var changes = new List<string>();
        for (var i = from; i < _ambs.Count; i++)
        {
            var amb = _ambs[i];
            var before = first[amb.Id];
            var now = amb.Premises.FirstOrDefault(Believes);
            if (before == now) continue;
            foreach (var premise in amb.Premises)
                if (premise == before || premise == now) changes.Add(premise);
        }
        return changes;
    }

    /// <summary>A nogood that would be fully believed if <paramref name="premise"/> were the amb's choice (the first in search order).</summary>
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

    /// <summary>A belief changed: the ambs whose blocking the nogoods that mention it decide are decided again.</summary>
    private void Touch(string premise)
    {
        foreach (var nogood in _nogoodsOf.GetValueOrDefault(premise) ?? [])
            _from = Math.Min(_from, Math.Max(0, Latest(nogood)));
    }

    /// <summary>Known nogoods sharing a premise with <paramref name="nogood"/> (the only ones that can be its subset or superset, unless it is empty).</summary>
    private IEnumerable<PremiseSet> Candidates(PremiseSet nogood) =>
        nogood.Count == 0 ? _nogoods : nogood.Items.SelectMany(p => _nogoodsOf.GetValueOrDefault(p) ?? []).Distinct();

    private void Forget(PremiseSet nogood)
    {
        _nogoods.Remove(nogood);
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
