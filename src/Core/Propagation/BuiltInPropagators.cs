using OrleansSync.Lattice;
using F = OrleansSync.Propagation.PropagatorFunctions;

namespace OrleansSync.Propagation;

/// <summary>
/// The propagators every machine knows. A machine may register its own implementation under any of these
/// names; its own wins there (implementations are local to a machine).
/// </summary>
public static class BuiltInPropagators
{
    public const string Constant = "constant";
    public const string Identity = "identity";
    public const string Add = "add";
    public const string Subtract = "subtract";
    public const string Multiply = "multiply";
    public const string Divide = "divide";
    public const string Negate = "negate";
    public const string Abs = "abs";
    public const string Square = "square";
    public const string Sqrt = "sqrt";
    public const string LessThan = "less-than";
    public const string GreaterThan = "greater-than";
    public const string Equal = "equal";
    public const string Not = "not";
    public const string And = "and";
    public const string Or = "or";
    public const string Switch = "switch";
    public const string Conditional = "conditional";
    public const string Sum = "sum";
    public const string Product = "product";
    public const string Quadratic = "quadratic";
    public const string Sync = "sync";
    public const string Amb = "amb";
    public const string Accessor = "accessor";
    public const string Apply = "apply";

    public static IReadOnlyList<IPropagatorImplementation> All { get; } =
    [
        new ConstantPropagator(),
        Unary(Identity, x => x),
        Binary(Add, F.Add),
        Binary(Subtract, F.Subtract),
        Binary(Multiply, F.Multiply),
        Binary(Divide, F.Divide),
        Unary(Negate, F.Negate),
        Unary(Abs, F.Abs),
        Unary(Square, F.Square),
        Unary(Sqrt, F.Sqrt),
        Binary(LessThan, F.LessThan),
        Binary(GreaterThan, F.GreaterThan),
        Binary(Equal, F.Equal),
        Unary(Not, F.Not),
        Binary(And, F.And),
        Binary(Or, F.Or),
        Binary(Switch, F.Switch),
        new ConditionalPropagator(),
        // Multidirectional constraints, as MIT builds them: each direction is a one-way propagator.
        new BlueprintPropagator(Sum, n => n
            .Add(Add, n.Inputs[0], n.Inputs[1], n.Inputs[2])
            .Add(Subtract, n.Inputs[2], n.Inputs[0], n.Inputs[1])
            .Add(Subtract, n.Inputs[2], n.Inputs[1], n.Inputs[0])),
        new BlueprintPropagator(Product, n => n
            .Add(Multiply, n.Inputs[0], n.Inputs[1], n.Inputs[2])
            .Add(Divide, n.Inputs[2], n.Inputs[0], n.Inputs[1])
            .Add(Divide, n.Inputs[2], n.Inputs[1], n.Inputs[0])),
        new BlueprintPropagator(Quadratic, n => n
            .Add(Square, n.Inputs[0], n.Inputs[1])
            .Add(Sqrt, n.Inputs[1], n.Inputs[0])),
        new BlueprintPropagator(Sync, n => n
            .Add(Identity, n.Inputs[0], n.Inputs[1])
            .Add(Identity, n.Inputs[1], n.Inputs[0])),
        new AmbPropagator(),
        new AccessorPropagator(),
        new ApplyPropagator(),
    ];

    private static FunctionPropagator Unary(string name, Func<PartialInfo, PartialInfo> f) =>
        new(name, (inputs, _) => inputs.Count == 1 ? f(inputs[0]) : throw Arity(name, 1, inputs.Count));

    private static FunctionPropagator Binary(string name, Func<PartialInfo, PartialInfo, PartialInfo> f) =>
        new(name, (inputs, _) => inputs.Count == 2 ? f(inputs[0], inputs[1]) : throw Arity(name, 2, inputs.Count));

    internal static ArgumentException Arity(string name, int expected, int actual) =>
        new($"'{name}' takes {expected} input cell(s), got {actual}.");
}

/// <summary>Writes its argument into its outputs. It has no inputs, so it runs once, when attached.</summary>
public sealed class ConstantPropagator : IPrimitivePropagator
{
    public string Name => BuiltInPropagators.Constant;

    public IReadOnlyList<PartialInfo> Compute(IReadOnlyList<PartialInfo> inputs, IReadOnlyList<PartialInfo> arguments, int outputCount)
    {
        if (inputs.Count != 0 || arguments.Count != 1) throw new ArgumentException("'constant' takes no input cells and exactly one argument.");
        return Enumerable.Repeat(arguments[0], outputCount).ToArray();
    }
}

/// <summary>if control then consequent else alternative: only the chosen branch needs to hold information.</summary>
public sealed class ConditionalPropagator : IPrimitivePropagator
{
    public string Name => BuiltInPropagators.Conditional;

    public bool AcceptsNothing => true;

    public IReadOnlyList<PartialInfo> Compute(IReadOnlyList<PartialInfo> inputs, IReadOnlyList<PartialInfo> arguments, int outputCount)
    {
        if (inputs.Count != 3) throw BuiltInPropagators.Arity(Name, 3, inputs.Count);
        return Enumerable.Repeat(PropagatorFunctions.Conditional(inputs[0], inputs[1], inputs[2]), outputCount).ToArray();
    }
}

/// <summary>
/// n-ary choice (SDF's <c>p:amb</c>): its output holds every argument, each supported by its own
/// hypothetical premise, and the worldview believes exactly one of them at a time. Which one, and
/// backtracking when a choice leads to a contradiction, is the worldview's job (nogood learning).
/// </summary>
public sealed class AmbPropagator : IPropagatorImplementation
{
    public string Name => BuiltInPropagators.Amb;

    /// <summary>The hypothetical premise standing for choice <paramref name="index"/> of amb <paramref name="ambId"/>.</summary>
    public static string Hypothetical(string ambId, int index) => $"{ambId}#{index}";

    public static Tms Choices(string ambId, IReadOnlyList<PartialInfo> values) =>
        Tms.Of(values.Select((v, i) => Supported.By(v, Hypothetical(ambId, i))));
}

/// <summary>
/// The accessor of MIT's carrying cells (<c>p:car</c>, ppropogator's <c>c_dict_accessor</c>): it binds its
/// argument cell at a key of its output, a carried cell. If the key is already bound, the carried cell's merge
/// unifies the two cells, so reading or writing the accessor cell reads or writes the child.
/// Arguments: the key and the accessor cell's id, as text.
/// </summary>
public sealed class AccessorPropagator : IPrimitivePropagator
{
    public string Name => BuiltInPropagators.Accessor;

    public IReadOnlyList<PartialInfo> Compute(IReadOnlyList<PartialInfo> inputs, IReadOnlyList<PartialInfo> arguments, int outputCount)
    {
        if (inputs.Count != 0 || arguments is not [TextValue key, TextValue cell])
            throw new ArgumentException("'accessor' takes no input cells and two text arguments: the key and the accessor cell.");
        return Enumerable.Repeat<PartialInfo>(CarriedCell.Map((key.Value, cell.Value)), outputCount).ToArray();
    }
}

/// <summary>
/// Applies the closure held by its first input to the other inputs, giving its outputs. Like a delayed
/// blueprint it builds the closure's body once, when the closure is known and some argument holds
/// information — which is what lets a closure call itself (Radul §6.2.2). The body is built by the
/// propagator grain, since it reads the closure's environment cells.
/// </summary>
public sealed class ApplyPropagator : IPropagatorImplementation
{
    public string Name => BuiltInPropagators.Apply;
}
