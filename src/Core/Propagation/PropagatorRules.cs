using OrleansSync.Lattice;

namespace OrleansSync.Propagation;

/// <summary>
/// When propagators run, shared by the in-process scheduler and the propagator grains so the reference and
/// the distributed network cannot drift apart.
/// </summary>
public static class PropagatorRules
{
    /// <summary>The first input a primitive cannot run with — a contradiction, or nothing unless it accepts nothing — or -1.</summary>
    public static int FirstUnusableInput(this IPrimitivePropagator primitive, IReadOnlyList<PartialInfo> inputs)
    {
        for (var i = 0; i < inputs.Count; i++)
            if (inputs[i].IsContradiction || (inputs[i].IsNothing && !primitive.AcceptsNothing)) return i;
        return -1;
    }

    /// <summary>MIT's delayed blueprint: a compound builds its network once any input holds information (or it has none).</summary>
    public static bool ReadyToExpand(IReadOnlyList<PartialInfo> inputs) => inputs.Count == 0 || inputs.Any(i => !i.IsNothing);
}
