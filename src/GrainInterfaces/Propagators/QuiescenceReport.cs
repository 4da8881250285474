using OrleansSync.Machines;
using OrleansSync.Premises;
using OrleansSync.Search;

namespace OrleansSync.Propagators;

/// <summary>
/// A network had no propagation in flight (two identical, balanced samples of every silo's counters for it).
/// <see cref="Contradictions"/> lists what that network holds now, and what its search could not resolve: an
/// unsatisfiable network says so here rather than going silent. <see cref="Search"/> says how much searching it took.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.quiescence-report")]
public sealed record QuiescenceReport(
    [property: Id(0)] IReadOnlyList<PropagationCounters> Counters,
    [property: Id(1)] IReadOnlyList<ContradictionRecord> Contradictions,
    [property: Id(2)] TimeSpan Waited,
    [property: Id(3)] string Network,
    [property: Id(4)] SearchStatistics Search)
{
    public IEnumerable<ContradictionRecord> Unresolvable => Contradictions.Where(c => c.Unresolvable);

    /// <summary>What a person printing the report wants: the network, how long, each machine's counters, the contradictions.</summary>
    public override string ToString() =>
        $"network '{Network}' quiescent after {Waited.TotalMilliseconds:0.#} ms; " +
        $"machines: {(Counters.Count == 0 ? "none" : string.Join(", ", Counters.Select(c => $"{c.Machine} {c.Started}/{c.Finished}")))}; " +
        $"contradictions: {(Contradictions.Count == 0 ? "none" : string.Join("; ", Contradictions))}; search: {Search}";
}
