using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// What a propagator name means on one machine. Implementations are registered per silo (dependency
/// injection); the same name may be implemented differently on different machines.
/// </summary>
public interface IPropagatorImplementation
{
    string Name { get; }
}

/// <summary>
/// A primitive propagator: a monotone function from its inputs' strongest values to one value per
/// output. It is only called when no input is nothing or a contradiction; <see cref="Nothing"/> in the
/// result means "no conclusion for that output".
/// </summary>
public interface IPrimitivePropagator : IPropagatorImplementation
{
    /// <summary>True when the propagator can conclude something while some inputs are still nothing.</summary>
    bool AcceptsNothing => false;

    IReadOnlyList<PartialInfo> Compute(IReadOnlyList<PartialInfo> inputs, IReadOnlyList<PartialInfo> arguments, int outputCount);
}

/// <summary>
/// A compound propagator: a blueprint that builds a sub-network once, lazily, the first time any of its
/// inputs holds information (MIT's rule, which lets recursive blueprints such as sqrt-iter terminate).
/// </summary>
public interface ICompoundPropagator : IPropagatorImplementation
{
    void Build(SubnetBuilder network);
}

/// <summary>Primitive propagators from a function of the inputs, with the usual "last cell is the output" shape.</summary>
public sealed class FunctionPropagator(string name, Func<IReadOnlyList<PartialInfo>, IReadOnlyList<PartialInfo>, PartialInfo> function) : IPrimitivePropagator
{
    public string Name { get; } = name;

    public IReadOnlyList<PartialInfo> Compute(IReadOnlyList<PartialInfo> inputs, IReadOnlyList<PartialInfo> arguments, int outputCount)
    {
        var result = function(inputs, arguments);
        var outputs = new PartialInfo[outputCount];
        Array.Fill(outputs, result);
        return outputs;
    }
}

/// <summary>A compound propagator from a building function.</summary>
public sealed class BlueprintPropagator(string name, Action<SubnetBuilder> build) : ICompoundPropagator
{
    public string Name { get; } = name;

    public void Build(SubnetBuilder network) => build(network);
}
