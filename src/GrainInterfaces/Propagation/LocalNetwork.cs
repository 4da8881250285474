using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// A propagator network in one process, with MIT's scheduler: a de-duplicated queue of alerted
/// propagators run until it is empty (quiescence). No grains, no storage, every premise believed. It is
/// the reference the distributed network is measured and checked against.
/// </summary>
public sealed class LocalNetwork(MergeRegistry registry, IEnumerable<IPropagatorImplementation>? implementations = null)
{
    private readonly Dictionary<string, IPropagatorImplementation> _implementations =
        (implementations ?? BuiltInPropagators.All).ToDictionary(i => i.Name);
    private readonly Dictionary<string, PartialInfo> _content = [];
    private readonly Dictionary<string, List<Node>> _neighbors = [];
    private readonly Queue<Node> _queue = new();

    public long Runs { get; private set; }

    public PartialInfo Content(string cell) => _content.GetValueOrDefault(cell, Nothing.Instance);

    public PartialInfo Strongest(string cell) => Content(cell).Strongest(Worldview.AllIn, registry);

    /// <summary>Merges information into a cell; alerts its propagators when the strongest value changed.</summary>
    public void Tell(string cell, PartialInfo increment)
    {
        var before = Content(cell);
        var merged = registry.Merge(before, increment);
        if (ReferenceEquals(merged, before)) return;
        _content[cell] = merged;
        if (merged.Strongest(Worldview.AllIn, registry).Equals(before.Strongest(Worldview.AllIn, registry))) return;
        foreach (var node in _neighbors.GetValueOrDefault(cell, [])) Alert(node);
    }

    public void Attach(PropagatorSpec spec)
    {
        var implementation = _implementations.GetValueOrDefault(spec.Implementation)
            ?? throw new ArgumentException($"No implementation named '{spec.Implementation}'.");
        if (implementation is not (IPrimitivePropagator or ICompoundPropagator))
            throw new NotSupportedException($"'{spec.Implementation}' needs a worldview; the local network has none.");
        var node = new Node(spec, implementation);
        foreach (var input in spec.Inputs.Distinct())
        {
            if (!_neighbors.TryGetValue(input, out var list)) _neighbors[input] = list = [];
            list.Add(node);
        }
        Alert(node);
    }

    /// <summary>Runs alerted propagators until none is left.</summary>
    public void Run()
    {
        while (_queue.TryDequeue(out var node))
        {
            node.Queued = false;
            Runs++;
            Execute(node);
        }
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
        switch (node.Implementation)
        {
            case ICompoundPropagator compound:
                if (node.Expanded || !PropagatorRules.ReadyToExpand(inputs)) return;
                node.Expanded = true;
                var builder = new SubnetBuilder(node.Spec);
                compound.Build(builder);
                foreach (var child in builder.Children) Attach(child);
                return;
            case IPrimitivePropagator primitive:
                if (primitive.FirstUnusableInput(inputs) >= 0) return;
                var outputs = primitive.Compute(inputs, node.Spec.Arguments, node.Spec.Outputs.Count);
                for (var i = 0; i < outputs.Count; i++) Tell(node.Spec.Outputs[i], outputs[i]);
                return;
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
