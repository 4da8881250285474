using OrleansSync.Machines;
using OrleansSync.Premises;

namespace OrleansSync.Propagators;

/// <summary>
/// The network had no propagation in flight (two identical, balanced samples of every silo's counters).
/// <see cref="Contradictions"/> lists what the worldview could not resolve: an unsatisfiable network
/// says so here rather than going silent.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.quiescence-report")]
public sealed record QuiescenceReport(
    [property: Id(0)] IReadOnlyList<PropagationCounters> Counters,
    [property: Id(1)] IReadOnlyList<ContradictionRecord> Contradictions,
    [property: Id(2)] TimeSpan Waited)
{
    public IEnumerable<ContradictionRecord> Unresolvable => Contradictions.Where(c => c.Unresolvable);
}
