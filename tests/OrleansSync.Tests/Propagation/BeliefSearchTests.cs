using CsCheck;
using OrleansSync.Search;
using OrleansSync.Lattice;
using Xunit;

namespace OrleansSync.Tests.Propagation;

/// <summary>
/// The amb search alone, over random problems: it ends with one unblocked choice per amb exactly when
/// some choice of one value per amb avoids every nogood (checked by brute force), and reports
/// exhaustion exactly when none does.
/// </summary>
public sealed class BeliefSearchTests
{
    private static readonly Gen<(int[] Sizes, int[][] Nogoods)> Problems =
        from sizes in Gen.Int[1, 4].Array[1, 4]
        let total = sizes.Sum()
        from nogoods in Gen.Int[0, total - 1].Array[1, 3].Array[0, 12]
        select (sizes, nogoods);

    [Fact]
    public void Search_is_sound_and_complete() =>
        Problems.Sample(p =>
        {
            var ambs = p.Sizes.Select((n, a) => new AmbChoice($"amb{a}", [.. Enumerable.Range(0, n).Select(i => $"amb{a}#{i}")])).ToArray();
            var premises = ambs.SelectMany(a => a.Premises).ToArray();
            var nogoods = p.Nogoods.Select(n => PremiseSet.Of(n.Select(i => premises[i]))).ToArray();
            var search = new BeliefSearch([], [], []);
            foreach (var amb in ambs) search.AddAmb(amb);
            foreach (var nogood in nogoods) search.Learn(nogood);
            search.Settle();

            var satisfiable = Assignments(ambs).Any(chosen => nogoods.All(n => !n.Items.All(chosen.Contains)));
            if (!satisfiable) return search.Exhausted.Count > 0;
            if (search.Exhausted.Count > 0) return false;
            var believed = premises.Where(search.Believes).ToHashSet();
            return ambs.All(a => a.Premises.Count(believed.Contains) == 1) && nogoods.All(n => !n.Items.All(believed.Contains));
        }, iter: 3_000, print: p => $"sizes [{string.Join(",", p.Sizes)}] nogoods {string.Join(" ", p.Nogoods.Select(n => "{" + string.Join(",", n) + "}"))}");

    [Fact]
    public void Empty_nogood_does_not_erase_what_was_learned()
    {
        var search = new BeliefSearch([], [], []);
        search.AddAmb(new AmbChoice("x", ["x#0", "x#1"]));
        Assert.True(search.Learn(PremiseSet.Of("x#0")));
        Assert.False(search.Learn(PremiseSet.Empty));
        Assert.False(search.Learn(PremiseSet.Of("fact")));
        search.Settle();
        Assert.Equal([PremiseSet.Of("x#0")], search.Nogoods);
        Assert.True(search.Believes("x#1"));
        Assert.False(search.Believes("x#0"));
    }

    [Fact]
    public void Culprit_is_from_the_nogood_with_fewest_hypotheticals_and_choices_keep_their_order()
    {
        var search = new BeliefSearch([], [], []);
        search.AddAmb(new AmbChoice("x", ["x#0", "x#1", "x#2"]));
        search.AddAmb(new AmbChoice("y", ["y#0", "y#1"]));
        search.Settle();
        Assert.True(search.Believes("x#0") && search.Believes("y#0"));
        search.Learn(PremiseSet.Of("x#0", "y#0", "user-premise"));
        search.Learn(PremiseSet.Of("y#0", "y-fact"));
        search.Settle();
        // {y#0, y-fact} has one hypothetical: y moves on, and x keeps its first choice.
        Assert.True(search.Believes("x#0") && search.Believes("y#1") && !search.Believes("y#0"));
    }

    private static IEnumerable<HashSet<string>> Assignments(IReadOnlyList<AmbChoice> ambs)
    {
        IEnumerable<HashSet<string>> partial = [[]];
        foreach (var amb in ambs)
            partial = partial.SelectMany(chosen => amb.Premises.Select(p => new HashSet<string>(chosen) { p })).ToList();
        return partial;
    }
}
