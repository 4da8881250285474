using CsCheck;
using OrleansSync.Lattice;
using Xunit;

namespace OrleansSync.Tests.Lattice;

/// <summary>
/// The merge laws of the propagator model (Radul and Sussman; propagator-model.md §2, §6), over random
/// values of every type: merge is commutative, associative and idempotent up to equivalence, and merging
/// something already known returns the identical content object.
/// </summary>
public sealed class MergeLawTests
{
    private const long Iterations = 20_000;
    private static readonly MergeRegistry Registry = MergeRegistry.Default;

    private static PartialInfo Merge(PartialInfo a, PartialInfo b) => Registry.Merge(a, b);

    private static bool Equivalent(PartialInfo x, PartialInfo y) => x.IsEquivalentTo(y) && y.IsEquivalentTo(x);

    [Fact]
    public void Merge_is_commutative() =>
        Gens.Triple.Sample(t => Equivalent(Merge(t.A, t.B), Merge(t.B, t.A)), iter: Iterations,
            print: t => $"{t.A} | {t.B} -> {Merge(t.A, t.B)} vs {Merge(t.B, t.A)}");

    [Fact]
    public void Merge_is_associative() =>
        Gens.Triple.Sample(t => Equivalent(Merge(Merge(t.A, t.B), t.C), Merge(t.A, Merge(t.B, t.C))), iter: Iterations,
            print: t => $"{t.A} | {t.B} | {t.C} -> {Merge(Merge(t.A, t.B), t.C)} vs {Merge(t.A, Merge(t.B, t.C))}");

    [Fact]
    public void Merging_a_value_with_itself_returns_it() =>
        Gens.Any.Sample(a => ReferenceEquals(Merge(a, a), a), iter: Iterations);

    [Fact]
    public void Merging_an_equal_copy_returns_the_identical_content() =>
        Gens.Any.Sample(a =>
        {
            var copy = OrleansSync.Lattice.Json.PartialInfoCodec.Default.FromJson(OrleansSync.Lattice.Json.PartialInfoCodec.Default.ToJson(a));
            return ReferenceEquals(Merge(a, copy), a);
        }, iter: Iterations);

    [Fact]
    public void Merging_something_already_known_returns_the_identical_content() =>
        Gens.Triple.Sample(t =>
        {
            var content = Merge(t.A, t.B);
            return ReferenceEquals(Merge(content, t.B), content) && ReferenceEquals(Merge(content, t.A), content);
        }, iter: Iterations, print: t => $"{t.A} | {t.B} -> {Merge(t.A, t.B)}");

    [Fact]
    public void Nothing_is_the_identity_and_contradiction_absorbs() =>
        Gens.Any.Sample(a =>
        {
            var top = new Contradiction("top", PremiseSet.Empty);
            return ReferenceEquals(Merge(a, Nothing.Instance), a)
                && Equivalent(Merge(Nothing.Instance, a), a)
                && Merge(a, top).IsContradiction
                && Merge(top, a).IsContradiction;
        }, iter: Iterations);

    [Fact]
    public void Supported_values_keep_a_support_drawn_from_their_inputs() =>
        Gen.Select(Gens.SupportedValue, Gens.SupportedValue, Gens.SupportedValue).Sample(t =>
        {
            var union = t.Item1.Support.Union(t.Item2.Support).Union(t.Item3.Support);
            var merged = Merge(Merge(t.Item1, t.Item2), t.Item3);
            var premises = merged switch { Supported s => s.Support, Contradiction c => c.Premises, _ => PremiseSet.Empty };
            return premises.IsSubsetOf(union);
        }, iter: Iterations);

    [Fact]
    public void Order_of_many_increments_does_not_change_the_result() =>
        Gens.Family.SelectMany(f => f.Array[2, 8]).SelectMany(values => Gen.Shuffle(values.ToArray()).Select(shuffled => (values, shuffled)))
            .Sample(p => Equivalent(p.values.Aggregate((PartialInfo)Nothing.Instance, Merge), p.shuffled.Aggregate((PartialInfo)Nothing.Instance, Merge)),
                iter: Iterations / 4);
}
