namespace OrleansSync.Lattice;

/// <summary>
/// One step of a closure's body: run <see cref="Operator"/> from the cells named <see cref="Inputs"/> to the
/// cells named <see cref="Outputs"/>. The operator is a name bound in the environment to a cell holding a
/// closure (then the step applies it) or else the name of a propagator implementation. Cell names resolve in
/// the application's environment: parameters, then the closure's environment and its parents; other names
/// are cells local to the application.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.closure-step")]
public sealed class ClosureStep(string @operator, string[] inputs, string[] outputs, PartialInfo[]? arguments = null) : IEquatable<ClosureStep>
{
    [Id(0)] internal readonly string _operator = @operator;
    [Id(1)] internal readonly string[] _inputs = inputs;
    [Id(2)] internal readonly string[] _outputs = outputs;
    [Id(3)] internal readonly PartialInfo[] _arguments = arguments ?? [];

    public string Operator => _operator;

    public string[] Inputs => _inputs;

    public string[] Outputs => _outputs;

    public PartialInfo[] Arguments => _arguments;

    /// <summary>The usual shape: the last name is the output.</summary>
    public static ClosureStep Of(string @operator, params string[] cells) => new(@operator, cells[..^1], [cells[^1]]);

    public static ClosureStep Constant(PartialInfo value, string cell) => new("constant", [], [cell], [value]);

    public bool Equals(ClosureStep? other) =>
        other is not null && Operator == other.Operator && Inputs.AsSpan().SequenceEqual(other.Inputs) &&
        Outputs.AsSpan().SequenceEqual(other.Outputs) && Arguments.AsSpan().SequenceEqual(other.Arguments);

    public override bool Equals(object? obj) => Equals(obj as ClosureStep);

    public override int GetHashCode() => HashCode.Combine(Operator, Inputs.Length, Outputs.Length, Arguments.Length);

    public override string ToString() => $"{Operator}({string.Join(", ", Inputs)} -> {string.Join(", ", Outputs)})";
}

/// <summary>
/// A closure's content: its code (name, parameter names, body) and the environment it closes over — a
/// carried cell mapping names to cells, with a <c>parent</c> entry. Two closures merge only if their code is
/// the same; then their environments are the same environment, unified cell-wise like carried cells (the
/// cells are kept sorted and the first is canonical). Different code is a contradiction (Radul §6.3).
/// </summary>
[GenerateSerializer, Immutable, Alias("os.closure")]
public sealed class Closure : PartialInfo, ICellReferences
{
    /// <summary>The environment key that points to the enclosing environment.</summary>
    public const string Parent = "parent";

    [Id(0)] internal readonly string _name;
    [Id(1)] internal readonly string[] _inputs;
    [Id(2)] internal readonly string[] _outputs;
    [Id(3)] internal readonly ClosureStep[] _body;
    [Id(4)] internal readonly string[] _environments;

    public Closure(string name, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<ClosureStep> body, params IEnumerable<string> environments)
    {
        _name = name;
        _inputs = [.. inputs];
        _outputs = [.. outputs];
        _body = [.. body];
        _environments = [.. environments.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A closure needs a name.");
        if (_outputs.Length == 0) throw new ArgumentException($"Closure '{name}' has no output.");
        if (_environments.Length == 0) throw new ArgumentException($"Closure '{name}' has no environment cell.");
        var parameters = _inputs.Concat(_outputs).ToArray();
        if (parameters.Distinct(StringComparer.Ordinal).Count() != parameters.Length || parameters.Contains(Parent))
            throw new ArgumentException($"Closure '{name}' has a repeated parameter name or one called '{Parent}'.");
    }

    public string Name => _name;

    public override OrleansSync.Cells.CellKind? Kind => OrleansSync.Cells.CellKind.Closure;

    public IReadOnlyList<string> Inputs => _inputs;

    public IReadOnlyList<string> Outputs => _outputs;

    public IReadOnlyList<ClosureStep> Body => _body;

    /// <summary>The canonical environment cell.</summary>
    public string Environment => _environments[0];

    public IReadOnlyList<string> Environments => _environments;

    public IEnumerable<string> ReferencedCells => _environments;

    public IEnumerable<(string Canonical, string Other)> Unifications => _environments.Skip(1).Select(e => (_environments[0], e));

    public bool SameCode(Closure other) =>
        _name == other._name && _inputs.AsSpan().SequenceEqual(other._inputs) && _outputs.AsSpan().SequenceEqual(other._outputs) &&
        _body.AsSpan().SequenceEqual(other._body);

    internal static void RegisterMerges(MergeRegistry registry) =>
        registry.Register<Closure, Closure>((a, b, _) =>
            !a.SameCode(b) ? Contradiction.Between(a, b)
            : b._environments.All(e => Array.BinarySearch(a._environments, e, StringComparer.Ordinal) >= 0) ? a
            : new Closure(a._name, a._inputs, a._outputs, a._body, a._environments.Concat(b._environments)));

    public override bool Equals(object? obj) => obj is Closure other && SameCode(other) && _environments.AsSpan().SequenceEqual(other._environments);

    public override int GetHashCode() => HashCode.Combine(_name, _body.Length, _environments[0]);

    public override string ToString() => $"closure {_name}({string.Join(", ", _inputs)} -> {string.Join(", ", _outputs)}) in {string.Join(" = ", _environments)}";
}
