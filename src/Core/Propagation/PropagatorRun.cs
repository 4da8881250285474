using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// What one run of a propagator comes to, decided by the same rules for the in-process scheduler and for the
/// propagator grains; each host then carries it out (merges, attaches, registers) its own way.
/// </summary>
public abstract class RunOutcome
{
    private RunOutcome(string detail) => Detail = detail;

    public string Detail { get; }

    /// <summary>An input is nothing or a contradiction (or a compound has nothing to build from yet).</summary>
    public sealed class Waiting(string detail) : RunOutcome(detail);

    /// <summary>The implementation threw or broke its contract; it runs again on the next change.</summary>
    public sealed class Failed(string detail, Exception? error = null) : RunOutcome(detail)
    {
        public Exception? Error { get; } = error;
    }

    /// <summary>Merge each value that is not nothing into the output at the same position.</summary>
    public sealed class Outputs(IReadOnlyList<PartialInfo> values) : RunOutcome("")
    {
        public IReadOnlyList<PartialInfo> Values { get; } = values;
    }

    /// <summary>A compound built its sub-network: attach these propagators (once; their ids derive from the parent's).</summary>
    public sealed class Expand(IReadOnlyList<PropagatorSpec> children) : RunOutcome($"expanded into {children.Count} propagators")
    {
        public IReadOnlyList<PropagatorSpec> Children { get; } = children;
    }

    /// <summary>Apply this closure (once): the host builds the body, reading environment cells (<see cref="ClosureApplication"/>).</summary>
    public sealed class Apply(Closure closure) : RunOutcome($"applying {closure.Name}")
    {
        public Closure Closure { get; } = closure;
    }

    /// <summary>An amb: its choices, each supported by its hypothetical premise, to register with the search (once) and write to the outputs.</summary>
    public sealed class Choose(IReadOnlyList<string> premises, Tms choices) : RunOutcome($"{premises.Count} choices")
    {
        public IReadOnlyList<string> Premises { get; } = premises;

        public Tms Choices { get; } = choices;
    }

    /// <summary>Already built: a compound or an application runs once.</summary>
    public sealed class Done(string detail) : RunOutcome(detail);
}

public static class PropagatorRun
{
    /// <summary>
    /// One run from the inputs' strongest values. <paramref name="expanded"/> says a compound, an application or an
    /// amb already did its one-time part.
    /// </summary>
    public static RunOutcome Evaluate(IPropagatorImplementation implementation, PropagatorSpec spec, IReadOnlyList<PartialInfo> inputs, bool expanded)
    {
        switch (implementation)
        {
            case AmbPropagator:
                if (spec.Arguments.Count == 0) return new RunOutcome.Failed($"amb '{spec.Id}' has no values to choose from");
                var premises = Enumerable.Range(0, spec.Arguments.Count).Select(i => AmbPropagator.Hypothetical(spec.Id, i)).ToArray();
                return new RunOutcome.Choose(premises, AmbPropagator.Choices(spec.Id, spec.Arguments));
            case ApplyPropagator:
                if (expanded) return new RunOutcome.Done("applied");
                if (inputs.Count == 0) return new RunOutcome.Failed($"apply '{spec.Id}' needs the closure cell as its first input");
                if (inputs[0] is not Closure closure)
                    return new RunOutcome.Waiting($"closure cell '{spec.Inputs[0]}' holds {(inputs[0].IsNothing ? "nothing" : inputs[0].IsContradiction ? "a contradiction" : "no closure")}");
                if (!PropagatorRules.ReadyToExpand(inputs.Skip(1).ToArray())) return new RunOutcome.Waiting("every argument is nothing; not applied yet");
                var problem = ClosureApplication.Validate(spec, closure);
                return problem.Length > 0 ? new RunOutcome.Failed(problem) : new RunOutcome.Apply(closure);
            case ICompoundPropagator compound:
                if (expanded) return new RunOutcome.Done("expanded");
                if (!PropagatorRules.ReadyToExpand(inputs)) return new RunOutcome.Waiting("every input is nothing; not expanded yet");
                var builder = new SubnetBuilder(spec);
                try
                {
                    compound.Build(builder);
                }
                catch (Exception error)
                {
                    return new RunOutcome.Failed(error.Message, error);
                }
                return new RunOutcome.Expand(builder.Children);
            case IPrimitivePropagator primitive:
                var unusable = primitive.FirstUnusableInput(inputs);
                if (unusable >= 0)
                    return new RunOutcome.Waiting($"input '{spec.Inputs[unusable]}' is {(inputs[unusable].IsNothing ? "nothing" : "a contradiction")}");
                try
                {
                    var outputs = primitive.Compute(inputs, spec.Arguments, spec.Outputs.Count);
                    return outputs.Count == spec.Outputs.Count
                        ? new RunOutcome.Outputs(outputs)
                        : new RunOutcome.Failed($"returned {outputs.Count} values for {spec.Outputs.Count} outputs");
                }
                catch (Exception error)
                {
                    return new RunOutcome.Failed(error.Message, error);
                }
            default:
                return new RunOutcome.Failed($"'{spec.Implementation}' is neither primitive nor compound");
        }
    }
}
