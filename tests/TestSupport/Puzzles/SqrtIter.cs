using OrleansSync.Lattice;
using OrleansSync.Propagation;

namespace OrleansSync.TestSupport.Puzzles;

/// <summary>
/// Heron's square root as a closure that applies itself (SICP's <c>sqrt-iter</c>): the body's last step calls
/// <c>sqrt-iter</c>, found in the closure's own environment. Applied to x = 2 with the first guess 1, the answer is
/// <see cref="OfTwo"/>.
/// </summary>
public static class SqrtIter
{
    public const string Name = "sqrt-iter";

    /// <summary>The recursive call's position in the body: each deeper application's id ends with it.</summary>
    public const int RecursiveStep = 13;

    public const double OfTwo = 1.4142135623746899;

    /// <summary>The closure's body: parameters <c>x</c> and <c>g</c>, output <c>answer</c>.</summary>
    public static ClosureStep[] Body() =>
    [
        ClosureStep.Constant(new NumberValue(1e-8), "eps"),
        ClosureStep.Of(BuiltInPropagators.Multiply, "g", "g", "g^2"),
        ClosureStep.Of(BuiltInPropagators.Subtract, "x", "g^2", "x-g^2"),
        ClosureStep.Of(BuiltInPropagators.Abs, "x-g^2", "|x-g^2|"),
        ClosureStep.Of(BuiltInPropagators.LessThan, "|x-g^2|", "eps", "done"),
        ClosureStep.Of(BuiltInPropagators.Switch, "done", "g", "answer"),
        ClosureStep.Of(BuiltInPropagators.Not, "done", "not-done"),
        ClosureStep.Of(BuiltInPropagators.Switch, "not-done", "x", "x-if-not-done"),
        ClosureStep.Of(BuiltInPropagators.Switch, "not-done", "g", "g-if-not-done"),
        ClosureStep.Constant(new NumberValue(2), "two"),
        ClosureStep.Of(BuiltInPropagators.Divide, "x-if-not-done", "g-if-not-done", "x/g"),
        ClosureStep.Of(BuiltInPropagators.Add, "g-if-not-done", "x/g", "g+x/g"),
        ClosureStep.Of(BuiltInPropagators.Divide, "g+x/g", "two", "new-g"),
        // The recursive call: sqrt-iter is found in the closure's own environment.
        ClosureStep.Of(Name, "x-if-not-done", "new-g", "answer"),
    ];
}
