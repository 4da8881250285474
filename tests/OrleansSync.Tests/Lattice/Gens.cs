using CsCheck;
using OrleansSync.Lattice;

namespace OrleansSync.Tests.Lattice;

/// <summary>
/// Random partial information of every type. Values come from small domains so that equal, overlapping
/// and comparable values are common: laws are only exercised when merges do something.
/// </summary>
public static class Gens
{
    private static readonly string[] PremiseNames = ["p", "q", "r", "s"];
    private static readonly string[] Sources = ["a", "b", "c"];

    public static readonly Gen<PremiseSet> Premises =
        Gen.Int[0, 15].Select(mask => PremiseSet.Of(PremiseNames.Where((_, i) => (mask & (1 << i)) != 0)));

    public static readonly Gen<PartialInfo> Number = Gen.Int[-3, 3].Select(i => (PartialInfo)new NumberValue(i / 2.0));

    public static readonly Gen<PartialInfo> IntervalOrNumber = Gen.Frequency(
        (3, Gen.Int[-4, 4].SelectMany(lo => Gen.Int[0, 5].Select(w => (PartialInfo)new Interval(lo, lo + w)))),
        (1, Number),
        (1, Gen.Const((PartialInfo)new Interval(double.NegativeInfinity, double.PositiveInfinity))));

    public static readonly Gen<PartialInfo> Plain = Gen.OneOf(
        Number,
        Gen.Bool.Select(b => (PartialInfo)new BoolValue(b)),
        Gen.OneOfConst("x", "y").Select(s => (PartialInfo)new TextValue(s)));

    public static readonly Gen<PartialInfo> Max = Gen.Int[-3, 3].Select(i => (PartialInfo)new MaxValue(i));

    public static readonly Gen<PartialInfo> Min = Gen.Int[-3, 3].Select(i => (PartialInfo)new MinValue(i));

    public static readonly Gen<PartialInfo> Set =
        Gen.Int[0, 31].Select(mask => (PartialInfo)GrowSet.Of(new[] { "a", "b", "c", "d", "e" }.Where((_, i) => (mask & (1 << i)) != 0)));

    public static readonly Gen<Supported> SupportedValue =
        IntervalOrNumber.SelectMany(v => Premises.Select(p => new Supported(v, p)));

    public static readonly Gen<PartialInfo> Tms =
        SupportedValue.Array[0, 3].Select(entries => (PartialInfo)OrleansSync.Lattice.Tms.Of(entries));

    public static readonly Gen<VectorClock> Clock =
        Gen.Int[0, 2].Array[Sources.Length].Select(counts => VectorClock.Of(Sources.Select((s, i) => KeyValuePair.Create(s, (long)counts[i]))));

    public static readonly Gen<PartialInfo> Clocked =
        Clock.SelectMany(c => Gen.Int[0, 2].Select(v => new ClockedEntry(c, new NumberValue(v)))).Array[0, 3]
            .Select(entries => (PartialInfo)ClockedValues.Of(entries));

    /// <summary>Carried cells over few keys and cells, so keys collide (unification) often; maps and lists mixed.</summary>
    public static readonly Gen<PartialInfo> Carried = Gen.Frequency(
        (4, Gen.Select(Gen.OneOfConst("x", "y", "parent"), Gen.OneOfConst("c1", "c2", "c3")).Array[0, 4]
            .Select(pairs => (PartialInfo)CarriedCell.Of(CarriedStructure.Map, pairs))),
        (1, Gen.Select(Gen.OneOfConst("0", "1"), Gen.OneOfConst("c1", "c2")).Array[0, 3]
            .Select(pairs => (PartialInfo)CarriedCell.Of(CarriedStructure.List, pairs))));

    private static readonly ClosureStep[][] Bodies =
    [
        [ClosureStep.Of("add", "x", "y", "z")],
        [ClosureStep.Of("multiply", "x", "y", "z")],
        [ClosureStep.Constant(new NumberValue(2), "two"), ClosureStep.Of("multiply", "x", "two", "z")],
    ];

    /// <summary>Closures with the same or different code over a few environments.</summary>
    public static readonly Gen<PartialInfo> Closures = Gen.Select(Gen.Int[0, Bodies.Length - 1], Gen.OneOfConst("e1", "e2", "e3").Array[1, 2])
        .Select((body, envs) => (PartialInfo)new Closure("f", ["x", "y"], ["z"], Bodies[body], envs));

    public static readonly Gen<PartialInfo> Contradictions =
        Premises.Select(p => (PartialInfo)new Contradiction("test", p));

    /// <summary>One family of related types; merges within a family are the interesting ones.</summary>
    public static readonly Gen<Gen<PartialInfo>> Family = Gen.OneOfConst(
        IntervalOrNumber, Plain, Max, Min, Set,
        SupportedValue.Select(s => (PartialInfo)s),
        Gen.OneOf(Tms, SupportedValue.Select(s => (PartialInfo)s)),
        // Plain values beside supported ones: facts, supported by no premise.
        Gen.OneOf(Tms, SupportedValue.Select(s => (PartialInfo)s), IntervalOrNumber),
        Clocked,
        Gen.OneOf(Clocked, Number),
        Carried,
        Closures);

    /// <summary>Any value at all, including nothing and contradictions.</summary>
    public static readonly Gen<PartialInfo> Any = Gen.Frequency(
        (1, Gen.Const((PartialInfo)Nothing.Instance)),
        (1, Contradictions),
        (12, Family.SelectMany(f => f)));

    /// <summary>Three values, usually of one family, sometimes mixed, sometimes nothing or a contradiction.</summary>
    public static readonly Gen<(PartialInfo A, PartialInfo B, PartialInfo C)> Triple = Gen.Frequency(
        (8, Family.SelectMany(f => Gen.Select(Mix(f), Mix(f), Mix(f)))),
        (2, Gen.Select(Any, Any, Any)));

    private static Gen<PartialInfo> Mix(Gen<PartialInfo> family) => Gen.Frequency(
        (10, family),
        (1, Gen.Const((PartialInfo)Nothing.Instance)),
        (1, Any));
}
