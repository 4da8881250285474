using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// What a compound propagator's blueprint sees: its cells and arguments, a way to name new internal cells,
/// and a way to add sub-propagators. Ids are derived from the parent's id, so building twice (after a
/// crash part-way through) builds the same network and attaching it again changes nothing.
/// </summary>
public sealed class SubnetBuilder(PropagatorSpec parent)
{
    private readonly List<PropagatorSpec> _children = [];

    public PropagatorSpec Parent { get; } = parent;

    public IReadOnlyList<string> Inputs => Parent.Inputs;

    public IReadOnlyList<string> Outputs => Parent.Outputs;

    public IReadOnlyList<PartialInfo> Arguments => Parent.Arguments;

    public IReadOnlyList<PropagatorSpec> Children => _children;

    /// <summary>An internal cell of this sub-network (the same name gives the same cell).</summary>
    public string Cell(string name) => $"{Parent.Id}/{name}";

    public SubnetBuilder Add(string implementation, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params PartialInfo[] arguments)
    {
        _children.Add(new PropagatorSpec($"{Parent.Id}/{_children.Count}", implementation, [.. inputs], [.. outputs], [.. arguments], Parent.Network));
        return this;
    }

    /// <summary>The common shape: the last cell is the output.</summary>
    public SubnetBuilder Add(string implementation, params string[] cells) => Add(implementation, cells[..^1], [cells[^1]]);

    public SubnetBuilder Constant(PartialInfo value, string cell) => Add(BuiltInPropagators.Constant, [], [cell], value);
}
