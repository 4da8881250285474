using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Search;

namespace OrleansSync.Propagation;

/// <summary>
/// A propagator network in one process, with MIT's scheduler: a de-duplicated queue of alerted propagators run
/// until it is empty (quiescence). No grains, no storage; the same rules as the distributed network — cell merges
/// and their effects (<see cref="CellContent"/>), propagator runs (<see cref="PropagatorRun"/>), premises, amb and
/// the belief search, closures — so it is the reference the distributed network is measured and checked against.
/// </summary>
/// <remarks>
/// Search decisions are taken at quiescence, from the contradictions present then, as the cluster takes them:
/// <see cref="Run"/> drains the queue, lets the search learn from the cells in contradiction and choose again, and
/// repeats until the search changes nothing.
/// </remarks>
public sealed class LocalNetwork(MergeRegistry registry, IEnumerable<IPropagatorImplementation>? implementations = null)
{
    /// <summary>The machine every propagator of a local network is on (ids are <c>local/...</c> for unification links).</summary>
    public const string Machine = "local";

    private readonly Dictionary<string, IPropagatorImplementation> _implementations =
        (implementations ?? BuiltInPropagators.All).ToDictionary(i => i.Name);
    private readonly Dictionary<string, CellContent> _cells = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Node>> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _premiseCells = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Contradiction> _contradictions = new(StringComparer.Ordinal);
    private readonly HashSet<(string Cell, PremiseSet Nogood)> _handled = [];
    private readonly BeliefSearch _search = new([], [], []);
    private readonly Queue<Node> _queue = new();
    private long _beliefVersion;
    private long _contradictionsHandled;

    public long Runs { get; private set; }

    /// <summary>The cells whose strongest value is a contradiction now.</summary>
    public IReadOnlyDictionary<string, Contradiction> Contradictions => _contradictions;

    /// <summary>Ambs no choice of which is consistent with what is believed, with the nogood that says so.</summary>
    public IReadOnlyDictionary<string, PremiseSet> Exhausted => _search.Exhausted;

    public SearchStatistics Statistics => _search.Statistics.WithContradictions(_contradictionsHandled);

    public PartialInfo Content(string cell) => _cells.TryGetValue(cell, out var c) ? c.Content : Nothing.Instance;

    public PartialInfo Strongest(string cell) => _cells.TryGetValue(cell, out var c) ? c.Strongest : Nothing.Instance;

    public bool Believes(string premise) => _search.Believes(premise);

    /// <summary>Merges information into a cell; alerts its propagators when the strongest value changed.</summary>
    public void Tell(string cell, PartialInfo increment)
    {
        var content = Cell(cell);
        // Learn the beliefs of new premises first, so the strongest value never rests on a wrong assumption.
        foreach (var premise in content.Unknown(increment)) Watch(cell, content, premise);
        Apply(cell, content.Merge(increment));
    }

    public void KickOut(string premise)
    {
        if (_search.IsHypothetical(premise)) throw new InvalidOperationException($"'{premise}' is an amb's choice: the search decides it.");
        if (!_search.Believes(premise)) return;
        _search.KickOut(premise);
        Announce([premise]);
    }

    public void BringIn(string premise)
    {
        if (_search.IsHypothetical(premise)) throw new InvalidOperationException($"'{premise}' is an amb's choice: the search decides it.");
        if (_search.Believes(premise)) return;
        _search.BringIn(premise);
        Announce([premise]);
    }

    public void Attach(PropagatorSpec spec)
    {
        if (_nodes.ContainsKey(spec.Id)) return;
        var implementation = _implementations.GetValueOrDefault(spec.Implementation)
            ?? throw new ArgumentException($"No implementation named '{spec.Implementation}'.");
        var node = _nodes[spec.Id] = new Node(spec, implementation);
        foreach (var input in spec.Inputs.Distinct())
        {
            if (!_readers.TryGetValue(input, out var list)) _readers[input] = list = [];
            list.Add(node);
        }
        Alert(node);
    }

    /// <summary>Runs alerted propagators until none is left, then lets the search choose again, until it changes nothing.</summary>
    public void Run()
    {
        do
        {
            while (_queue.TryDequeue(out var node))
            {
                node.Queued = false;
                Runs++;
                Execute(node);
            }
        }
        while (Decide());
    }

    private CellContent Cell(string id)
    {
        if (!_cells.TryGetValue(id, out var content)) _cells[id] = content = new CellContent(registry);
        return content;
    }

    private void Watch(string cell, CellContent content, string premise)
    {
        if (!_premiseCells.TryGetValue(premise, out var cells)) _premiseCells[premise] = cells = new(StringComparer.Ordinal);
        cells.Add(cell);
        Apply(cell, content.Believe(premise, new Belief(_search.Believes(premise), _beliefVersion)));
    }

    private void Apply(string cell, CellUpdate update)
    {
        foreach (var premise in update.NewPremises) Watch(cell, _cells[cell], premise);
        foreach (var (canonical, other) in update.Unifications)
            Attach(new PropagatorSpec($"{Machine}/unify/{canonical}={other}", BuiltInPropagators.Sync, [canonical, other], [canonical, other], []));
        if (update.Nogood is not null) _contradictions[cell] = update.Nogood;
        if (update.Resolved) _contradictions.Remove(cell);
        if (!update.StrongestChanged) return;
        foreach (var node in _readers.GetValueOrDefault(cell) ?? []) Alert(node);
    }

    private void Alert(Node node)
    {
        if (node.Queued) return;
        node.Queued = true;
        _queue.Enqueue(node);
    }

    private void Execute(Node node)
    {
        var inputs = node.Spec.Inputs.Select(Strongest).ToArray();
        switch (PropagatorRun.Evaluate(node.Implementation, node.Spec, inputs, node.Expanded))
        {
            case RunOutcome.Outputs outputs:
                for (var i = 0; i < outputs.Values.Count; i++)
                    if (!outputs.Values[i].IsNothing) Tell(node.Spec.Outputs[i], outputs.Values[i]);
                return;
            case RunOutcome.Expand expand:
                node.Expanded = true;
                foreach (var child in expand.Children) Attach(child);
                return;
            case RunOutcome.Apply apply:
                node.Expanded = true;
                var application = new ClosureApplication(node.Spec, apply.Closure, cell => Task.FromResult(Content(cell)));
                var (children, environment) = application.BuildAsync().GetAwaiter().GetResult();
                Tell(application.EnvironmentCell, environment);
                foreach (var child in children) Attach(child);
                return;
            case RunOutcome.Choose choose:
                if (!node.Expanded)
                {
                    node.Expanded = true;
                    _search.AddAmb(new AmbChoice(node.Spec.Id, choose.Premises, node.Spec.Outputs[0]));
                    _search.Settle();
                    // The new amb's choices were believed by default until now; ambs after it in search order may choose again.
                    Announce([.. choose.Premises.Union(_search.Changes, StringComparer.Ordinal)]);
                }
                foreach (var output in node.Spec.Outputs) Tell(output, choose.Choices);
                return;
            case RunOutcome.Failed failed:
                throw new InvalidOperationException($"Propagator '{node.Spec.Id}' failed: {failed.Detail}", failed.Error);
        }
    }

    /// <summary>At quiescence: learn from the contradictions present, settle the search, and tell the cells what it changed.</summary>
    private bool Decide()
    {
        foreach (var (cell, nogood) in _contradictions.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!nogood.Premises.Items.Any(_search.IsHypothetical) || !_handled.Add((cell, nogood.Premises))) continue;
            _contradictionsHandled++;
            _search.Learn(nogood.Premises);
        }
        _search.Settle();
        Announce(_search.Changes);
        return _search.Changes.Count > 0;
    }

    private void Announce(IReadOnlyList<string> premises)
    {
        if (premises.Count == 0) return;
        _beliefVersion++;
        foreach (var premise in premises)
        {
            var belief = new Belief(_search.Believes(premise), _beliefVersion);
            if (!_premiseCells.TryGetValue(premise, out var cells)) continue;
            foreach (var cell in cells.Order(StringComparer.Ordinal).ToList())
                Apply(cell, _cells[cell].Believe(premise, belief));
        }
    }

    private sealed class Node(PropagatorSpec spec, IPropagatorImplementation implementation)
    {
        public PropagatorSpec Spec { get; } = spec;
        public IPropagatorImplementation Implementation { get; } = implementation;
        public bool Queued { get; set; }
        public bool Expanded { get; set; }
    }
}
