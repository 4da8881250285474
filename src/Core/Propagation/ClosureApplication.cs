using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// Builds the network of one closure application: a new environment (a carried cell) binding the closure's
/// parameters to the application's cells, with the closure's environment as <c>parent</c>, and one propagator
/// per body step. Names resolve lexically — parameters, then the closure's environment and its parents,
/// loaded on demand through <paramref name="readContent"/> — and names found nowhere become cells local to
/// this application, bound in its environment (so they stay reachable). Ids derive from the application's,
/// so building again after a crash part-way builds the same network.
/// </summary>
public sealed class ClosureApplication(PropagatorSpec application, Closure closure, Func<string, Task<PartialInfo>> readContent)
{
    /// <summary>Environment chains are data and may be cyclic; a lookup gives up after this many parents.</summary>
    public const int MaxDepth = 1000;

    private readonly Dictionary<string, string> _bindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _resolved = new(StringComparer.Ordinal);

    public string EnvironmentCell => $"{application.Id}/env";

    public static string Validate(PropagatorSpec application, Closure closure) =>
        application.Inputs.Count - 1 != closure.Inputs.Count || application.Outputs.Count != closure.Outputs.Count
            ? $"closure '{closure.Name}' takes {closure.Inputs.Count} input(s) and {closure.Outputs.Count} output(s); " +
              $"it was applied to {application.Inputs.Count - 1} and {application.Outputs.Count}"
            : "";

    public async Task<(IReadOnlyList<PropagatorSpec> Children, CarriedCell Environment)> BuildAsync()
    {
        var problem = Validate(application, closure);
        if (problem.Length > 0) throw new ArgumentException(problem);
        _bindings[Closure.Parent] = closure.Environment;
        for (var i = 0; i < closure.Inputs.Count; i++) _bindings[closure.Inputs[i]] = application.Inputs[i + 1];
        for (var i = 0; i < closure.Outputs.Count; i++) _bindings[closure.Outputs[i]] = application.Outputs[i];

        var children = new List<PropagatorSpec>();
        foreach (var step in closure.Body)
        {
            var inputs = new List<string>();
            foreach (var name in step.Inputs) inputs.Add(await Cell(name));
            var outputs = new List<string>();
            foreach (var name in step.Outputs) outputs.Add(await Cell(name));
            var id = $"{application.Id}/{children.Count}";
            // An operator bound to a cell (in scope) is a closure to apply; otherwise it names an implementation.
            var callee = await Lookup(step.Operator);
            children.Add(callee is null
                ? new PropagatorSpec(id, step.Operator, inputs, outputs, step.Arguments, application.Network)
                : new PropagatorSpec(id, BuiltInPropagators.Apply, [callee, .. inputs], outputs, step.Arguments, application.Network));
        }
        return (children, CarriedCell.Map(_bindings));
    }

    /// <summary>The cell a name denotes here; a name bound nowhere becomes a local cell.</summary>
    private async Task<string> Cell(string name)
    {
        if (await Lookup(name) is { } cell) return cell;
        return _bindings[name] = $"{application.Id}/{name}";
    }

    private async Task<string?> Lookup(string name)
    {
        if (_bindings.TryGetValue(name, out var bound)) return name == Closure.Parent ? null : bound;
        if (_resolved.TryGetValue(name, out var known)) return known;
        string? found = null;
        var environment = closure.Environment;
        for (var depth = 0; depth < MaxDepth && environment is not null; depth++)
        {
            if (await readContent(environment) is not CarriedCell frame) break;
            if (frame.Child(name) is { } child)
            {
                found = child;
                break;
            }
            environment = frame.Child(Closure.Parent);
        }
        return _resolved[name] = found;
    }
}
