using CsCheck;
using OrleansSync.Search;
using OrleansSync.Lattice;
using Xunit;

namespace OrleansSync.Tests.Propagation;

/// <summary>
/// The amb search alone, over random problems: it ends with one unblocked choice per amb exactly when
/// some choice of one value per amb avoids every nogood (checked by brute force), reports exhaustion exactly when none
/// does, and the choices are the first such assignment in search order however the nogoods came.
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
    public void Settles_on_the_first_assignment_in_search_order_that_no_nogood_rules_out() =>
        Problems.Sample(p =>
        {
            var (ambs, nogoods) = Build(p);
            var search = new BeliefSearch([], [], []);
            foreach (var amb in ambs) search.AddAmb(amb);
            foreach (var nogood in nogoods) search.Learn(nogood);
            search.Settle();
            var first = FirstConsistent(ambs, nogoods);
            return first is null ? search.Exhausted.Count > 0 : Chosen(search, ambs).SetEquals(first);
        }, iter: 3_000, print: Print);

    /// <summary>
    /// As a network drives it: ambs arrive in any order, and at each decision the search learns some of the
    /// constraints the current choices violate — in any order, some only as supersets (what a cell finds when it also
    /// holds results derived on the way, which are true too). However that goes, it ends on the same choices: the
    /// first consistent assignment in search order.
    /// </summary>
    [Fact]
    public void The_answer_does_not_depend_on_which_true_nogoods_were_found_or_when() =>
        Gen.Select(Problems, Gen.Int, (p, seed) => (p, seed)).Sample(t =>
        {
            var (ambs, constraints) = Build(t.p);
            var random = new Random(t.seed);
            var search = new BeliefSearch([], [], []);
            var premises = ambs.SelectMany(a => a.Premises).ToArray();
            bool Decide()
            {
                var believed = premises.Where(search.Believes).ToHashSet();
                var violated = constraints.Where(c => c.Items.All(believed.Contains)).ToList();
                if (violated.Count == 0) return false;
                // At least one contradiction shows at each decision; which others do, and how large, is timing.
                var found = violated.Where((_, i) => i == 0 || random.Next(2) == 0).OrderBy(_ => random.Next());
                foreach (var nogood in found)
                {
                    var extra = believed.Where(_ => random.Next(4) == 0);
                    search.Learn(PremiseSet.Of(nogood.Items.Concat(extra)));
                }
                search.Settle();
                return true;
            }
            // Ambs come one by one, and the network may find contradictions before the last has come (the choices of
            // ambs not yet registered count as ordinary premises then, believed).
            foreach (var amb in ambs.OrderBy(_ => random.Next()))
            {
                search.AddAmb(amb);
                search.Settle();
                if (random.Next(2) == 0) Decide();
            }
            for (var decision = 0; decision < 10_000 && Decide(); decision++)
            {
            }
            var first = FirstConsistent(ambs, constraints);
            return first is null ? search.Exhausted.Count > 0 : Chosen(search, ambs).SetEquals(first);
        }, iter: 3_000, print: t => $"{Print(t.p)} seed {t.seed}");

    [Fact]
    public void A_nogood_moves_its_latest_amb_and_the_ambs_before_it_keep_their_choices()
    {
        var search = new BeliefSearch([], [], []);
        search.AddAmb(new AmbChoice("x", ["x#0", "x#1", "x#2"]));
        search.AddAmb(new AmbChoice("y", ["y#0", "y#1"]));
        search.Settle();
        Assert.True(search.Believes("x#0") && search.Believes("y#0"));
        search.Learn(PremiseSet.Of("x#0", "y#0", "user-premise"));
        search.Settle();
        Assert.True(search.Believes("x#0") && search.Believes("y#1") && !search.Believes("y#0"));
        Assert.Equal(["y#0", "y#1"], search.Changes);
    }

    [Fact]
    public void When_an_earlier_amb_moves_the_later_ones_start_again_from_their_first_choice()
    {
        var search = new BeliefSearch([], [], []);
        search.AddAmb(new AmbChoice("x", ["x#0", "x#1"]));
        search.AddAmb(new AmbChoice("y", ["y#0", "y#1"]));
        search.Learn(PremiseSet.Of("x#0", "y#0"));
        search.Settle();
        Assert.True(search.Believes("x#0") && search.Believes("y#1"));
        // Both of y's choices fail with x#0: x moves on, and y, no longer blocked, takes its first choice again.
        search.Learn(PremiseSet.Of("x#0", "y#1"));
        search.Settle();
        Assert.True(search.Believes("x#1") && search.Believes("y#0"));
        Assert.Contains(PremiseSet.Of("x#0"), search.Nogoods);
    }

    [Fact]
    public void A_retracted_ordinary_premise_frees_the_choices_its_nogoods_blocked()
    {
        var search = new BeliefSearch([], [], []);
        search.AddAmb(new AmbChoice("x", ["x#0", "x#1"]));
        search.Learn(PremiseSet.Of("x#0", "user-premise"));
        search.Settle();
        Assert.True(search.Believes("x#1"));
        search.KickOut("user-premise");
        search.Settle();
        Assert.True(search.Believes("x#0") && !search.Believes("x#1"));
        search.BringIn("user-premise");
        search.Settle();
        Assert.True(search.Believes("x#1"));
    }

    private static (AmbChoice[] Ambs, PremiseSet[] Nogoods) Build((int[] Sizes, int[][] Nogoods) p)
    {
        var ambs = p.Sizes.Select((n, a) => new AmbChoice($"amb{a}", [.. Enumerable.Range(0, n).Select(i => $"amb{a}#{i}")])).ToArray();
        var premises = ambs.SelectMany(a => a.Premises).ToArray();
        return (ambs, [.. p.Nogoods.Select(n => PremiseSet.Of(n.Select(i => premises[i])))]);
    }

    private static string Print((int[] Sizes, int[][] Nogoods) p) =>
        $"sizes [{string.Join(",", p.Sizes)}] nogoods {string.Join(" ", p.Nogoods.Select(n => "{" + string.Join(",", n) + "}"))}";

    private static HashSet<string> Chosen(BeliefSearch search, IEnumerable<AmbChoice> ambs) =>
        [.. ambs.SelectMany(a => a.Premises).Where(search.Believes)];

    /// <summary>By brute force: the first assignment (ambs in order, each amb's choices in order) that no nogood rules out.</summary>
    private static HashSet<string>? FirstConsistent(IReadOnlyList<AmbChoice> ambs, IReadOnlyList<PremiseSet> nogoods) =>
        Assignments(ambs).FirstOrDefault(chosen => nogoods.All(n => !n.Items.All(chosen.Contains)));

    private static IEnumerable<HashSet<string>> Assignments(IReadOnlyList<AmbChoice> ambs)
    {
        IEnumerable<HashSet<string>> partial = [[]];
        foreach (var amb in ambs)
            partial = partial.SelectMany(chosen => amb.Premises.Select(p => new HashSet<string>(chosen) { p })).ToList();
        return partial;
    }
}
