using OrleansSync.Lattice;
using Xunit;

namespace OrleansSync.Tests.Lattice;

/// <summary>The rules of each partial-information type, with the exact numbers of propagator-model.md §5.</summary>
public sealed class MergeSemanticsTests
{
    private static readonly MergeRegistry Registry = MergeRegistry.Default;

    private static PartialInfo Merge(params PartialInfo[] values) => values.Aggregate((PartialInfo)Nothing.Instance, Registry.Merge);

    [Fact]
    public void Plain_values_merge_to_themselves_or_a_contradiction()
    {
        var five = new NumberValue(5);
        Assert.Same(five, Registry.Merge(five, new NumberValue(5)));
        var clash = Registry.Merge(five, new NumberValue(6));
        Assert.True(clash.IsContradiction);
        Assert.Contains("5 != 6", ((Contradiction)clash).Reason);
    }

    [Fact]
    public void Intervals_intersect_and_an_empty_intersection_is_a_contradiction()
    {
        Assert.Equal(new Interval(2, 3), Merge(new Interval(0, 3), new Interval(2, 5)));
        Assert.True(Merge(new Interval(0, 1), new Interval(2, 3)).IsContradiction);
    }

    [Fact]
    public void A_number_inside_an_interval_wins_and_outside_contradicts()
    {
        var number = new NumberValue(2.5);
        Assert.Same(number, Registry.Merge(new Interval(2, 3), number));
        Assert.Same(number, Registry.Merge(number, new Interval(2, 3)));
        Assert.True(Registry.Merge(new Interval(2, 3), new NumberValue(4)).IsContradiction);
    }

    [Fact]
    public void Interval_arithmetic_is_signed()
    {
        var a = new Interval(-2, 3);
        var b = new Interval(-5, 4);
        Assert.Equal(new Interval(-7, 7), IntervalArithmetic.Add(a, b));
        Assert.Equal(new Interval(-6, 8), IntervalArithmetic.Subtract(a, b));
        Assert.Equal(new Interval(-15, 12), IntervalArithmetic.Multiply(a, b));
        Assert.Equal(new Interval(-1, 1.5), IntervalArithmetic.Divide(a, new Interval(2, 4)));
        Assert.Same(Nothing.Instance, IntervalArithmetic.Divide(a, new Interval(-1, 1)));
    }

    [Fact]
    public void Building_height_from_fall_time_B1()
    {
        // h = 1/2 g t^2 with g in [9.789, 9.832] and t in [2.9, 3.1] (Radul and Sussman, art §3).
        var t = new Interval(2.9, 3.1);
        var g = new Interval(9.789, 9.832);
        var h = IntervalArithmetic.Multiply(IntervalArithmetic.Multiply(Interval.Point(0.5), g), IntervalArithmetic.Multiply(t, t));
        Assert.Equal(41.162745, h.Lo, 1e-9);
        Assert.Equal(47.24276000000001, h.Hi, 1e-9);
    }

    [Fact]
    public void Supported_values_keep_the_smaller_support_for_the_same_value()
    {
        var broad = Supported.By(new NumberValue(45), "shadows", "superintendent");
        var narrow = Supported.By(new NumberValue(45), "superintendent");
        Assert.Same(narrow, Registry.Merge(broad, narrow));
        Assert.Same(narrow, Registry.Merge(narrow, broad));
    }

    [Fact]
    public void Supported_values_add_nothing_when_less_informative_C2()
    {
        var known = Supported.By(new Interval(44.514, 48.978), "shadows");
        var lousy = Supported.By(new Interval(40, 50), "lousy-fall-time");
        // Both justifications are kept (kicking "shadows" out would leave the lousy one), but the
        // strongest value is unchanged and does not rest on the lousy premise.
        Assert.Equal(known, Registry.Merge(known, lousy).Strongest(Worldview.AllIn, Registry));
        Assert.Same(known, Registry.Merge(known, Supported.By(new Interval(40, 50), "shadows")));
    }

    [Fact]
    public void Supported_values_union_supports_when_both_contribute_C3()
    {
        var content = Registry.Merge(Supported.By(new Interval(44.514, 48.978), "shadows"), Supported.By(new Interval(41.163, 47.243), "better-fall-time"));
        var merged = (Supported)content.Strongest(Worldview.AllIn, Registry);
        Assert.Equal(new Interval(44.514, 47.243), merged.Value);
        Assert.Equal(PremiseSet.Of("shadows", "better-fall-time"), merged.Support);
    }

    [Fact]
    public void A_contradiction_between_supported_values_names_their_premises()
    {
        var content = Registry.Merge(Supported.By(new NumberValue(1), "a"), Supported.By(new NumberValue(2), "b"));
        var clash = (Contradiction)content.Strongest(Worldview.AllIn, Registry);
        Assert.Equal(PremiseSet.Of("a", "b"), clash.Premises);
    }

    [Fact]
    public void Tms_strongest_value_follows_the_worldview_D1_to_D4()
    {
        var tms = Merge(
            Supported.By(new Interval(44.514, 48.978), "shadows"),
            Supported.By(new Interval(44.514, 47.243), "shadows", "fall-time"),
            Supported.By(new Interval(41.163, 47.243), "fall-time"));

        var all = (Supported)tms.Strongest(Worldview.AllIn, Registry);
        Assert.Equal(new Interval(44.514, 47.243), all.Value);

        var noFallTime = Worldview.AllIn.KickOut("fall-time");
        Assert.Equal(Supported.By(new Interval(44.514, 48.978), "shadows"), tms.Strongest(noFallTime, Registry));

        var neither = noFallTime.KickOut("shadows");
        Assert.Same(Nothing.Instance, tms.Strongest(neither, Registry));

        var onlyFallTime = neither.BringIn("fall-time");
        Assert.Equal(Supported.By(new Interval(41.163, 47.243), "fall-time"), tms.Strongest(onlyFallTime, Registry));
    }

    [Fact]
    public void Tms_contradiction_disappears_when_its_premise_is_kicked_out_D10()
    {
        var tms = Merge(Tms.Empty, Supported.By(new NumberValue(40), "snd"), Supported.By(new NumberValue(5), "red"));
        var clash = (Contradiction)tms.Strongest(Worldview.AllIn, Registry);
        Assert.Equal(PremiseSet.Of("snd", "red"), clash.Premises);
        Assert.Equal(Supported.By(new NumberValue(40), "snd"), tms.Strongest(Worldview.AllIn.KickOut("red"), Registry));
    }

    [Fact]
    public void A_fresher_clocked_write_replaces_an_older_one_A5()
    {
        var celsius = ClockedValues.Edit(Nothing.Instance, "ui", new NumberValue(0));
        Assert.Equal(new NumberValue(0), ((ClockedValues)celsius.Strongest(Worldview.AllIn, Registry)).Entries.Single().Value);

        var edited = Registry.Merge(celsius, ClockedValues.Edit(celsius, "ui", new NumberValue(100)));
        Assert.False(edited.IsContradiction);
        var strongest = (ClockedValues)edited.Strongest(Worldview.AllIn, Registry);
        Assert.Equal(new NumberValue(100), strongest.Entries.Single().Value);
        Assert.Equal(2, strongest.Clock["ui"]);

        // Delivered late, the old write changes nothing.
        Assert.Same(edited, Registry.Merge(edited, celsius));
    }

    [Fact]
    public void Concurrent_clocked_writes_are_kept_and_merged()
    {
        var a = ClockedValues.Of(new ClockedEntry(VectorClock.Of(KeyValuePair.Create("a", 1L)), new Interval(0, 10)));
        var b = ClockedValues.Of(new ClockedEntry(VectorClock.Of(KeyValuePair.Create("b", 1L)), new Interval(5, 20)));
        var both = (ClockedValues)Registry.Merge(a, b);
        Assert.Equal(2, both.Entries.Count);
        var strongest = (ClockedValues)both.Strongest(Worldview.AllIn, Registry);
        Assert.Equal(new Interval(5, 10), strongest.Entries.Single().Value);
        Assert.Equal((1, 1), (strongest.Clock["a"], strongest.Clock["b"]));
    }

    [Fact]
    public void Sync_lattices_max_min_and_grow_only_set()
    {
        Assert.Equal(new MaxValue(3), Merge(new MaxValue(1), new MaxValue(3), new MaxValue(2)));
        Assert.Equal(new MinValue(1), Merge(new MinValue(1), new MinValue(3), new MinValue(2)));
        Assert.Equal(GrowSet.Of("a", "b", "c"), Merge(GrowSet.Of("a"), GrowSet.Of("c", "b"), GrowSet.Of("a")));
    }

    [Fact]
    public void New_types_plug_in_through_the_registry()
    {
        var registry = MergeRegistry.CreateDefault()
            .Register<Flags, Flags>((a, b, _) => new Flags(a.Bits | b.Bits));
        var merged = registry.Merge(new Flags(0b01), new Flags(0b10));
        Assert.Equal(new Flags(0b11), merged);
        Assert.True(MergeRegistry.Default.Merge(new Flags(0b01), new Flags(0b10)).IsContradiction);
    }

    private sealed class Flags(int bits) : PartialInfo
    {
        public int Bits { get; } = bits;

        public override bool Equals(object? obj) => obj is Flags f && f.Bits == Bits;

        public override int GetHashCode() => Bits;
    }
}
