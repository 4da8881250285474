using OrleansSync.Lattice;
using OrleansSync.Propagation;
using Xunit;

namespace OrleansSync.Tests.Network;

/// <summary>Supported values and truth maintenance across the cluster: cases C1–C3, D0–D5, D10.</summary>
public abstract class TmsNetworkTests(NetworkFixture fixture) : NetworkTestBase(fixture)
{
    private async Task Shadows(string premise, Func<PartialInfo, PartialInfo>? constant = null)
    {
        await Barometer.Create(Net, Barometer.SimilarTriangles(C, "barometer-shadow", "barometer-height", "building-shadow", "building-height", On));
        await Barometer.Create(Net, Barometer.FallDuration(C, constant ?? Fact, "fall-time", "building-height", On));
        await Tell("building-shadow", S(I(54.9, 55.1), premise));
        await Tell("barometer-height", S(I(0.3, 0.32), premise));
        await Tell("barometer-shadow", S(I(0.36, 0.37), premise));
    }

    [Fact]
    public async Task C1_C2_C3_supports_follow_what_was_used()
    {
        var shadows = C("shadows");
        await Shadows(shadows);
        await Quiesce();
        var height = await Strongest("building-height");
        AssertInterval(44.514, 48.978, height, 5e-4);
        AssertSupport(height, shadows);

        // C2: a lousy measurement adds nothing and is not part of the support.
        await Tell("fall-time", S(I(2.9, 3.3), C("lousy-fall-time")));
        await Quiesce();
        height = await Strongest("building-height");
        AssertInterval(44.514, 48.978, height, 5e-4);
        AssertSupport(height, shadows);

        await Tell("fall-time", S(I(2.9, 3.1), C("better-fall-time")));
        await Quiesce();
        height = await Strongest("building-height");
        AssertInterval(44.514, 47.243, height, 5e-4);
        AssertSupport(height, shadows, C("better-fall-time"));
    }

    [Fact]
    public async Task Plain_constants_beside_supported_measurements()
    {
        // g and 1/2 are plain intervals: a plain value meeting supported ones counts as supported by no premise.
        var shadows = C("shadows");
        await Shadows(shadows, constant: value => value);
        await Tell("fall-time", S(I(2.9, 3.1), C("better-fall-time")));
        var report = await Quiesce();
        Assert.Empty(report.Contradictions);
        var height = await Strongest("building-height");
        AssertInterval(44.514, 47.243, height, 5e-4);
        AssertSupport(height, shadows, C("better-fall-time"));
        // The constant cells took supported refinements besides their plain values.
        Assert.False((await Strongest("g")).IsContradiction);
    }

    [Fact]
    public async Task D1_to_D5_retraction_changes_the_strongest_value_and_bringing_in_restores_it()
    {
        string shadows = C("shadows"), fallTime = C("fall-time-premise"), superintendent = C("superintendent");
        await Shadows(shadows);
        await Tell("fall-time", S(I(2.9, 3.1), fallTime));
        await Quiesce();
        var height = await Strongest("building-height");
        AssertInterval(44.514, 47.243, height, 5e-4);
        AssertSupport(height, shadows, fallTime);

        var unrelated = await Net.Tell(C("unrelated"), S(N(1), C("other")));
        await Net.KickOut(fallTime);
        await Quiesce();
        height = await Strongest("building-height");
        AssertInterval(44.514, 48.978, height, 5e-4);
        AssertSupport(height, shadows);
        // Only cells whose content mentions the premise were re-evaluated.
        Assert.Equal(unrelated.Version, (await Net.Cell(C("unrelated")).GetMetadata()).Version);

        await Net.KickOut(shadows);
        await Quiesce();
        Assert.True((await Strongest("building-height")).IsNothing);

        await Net.BringIn(fallTime);
        await Quiesce();
        height = await Strongest("building-height");
        AssertInterval(41.163, 47.243, height, 5e-4);
        AssertSupport(height, fallTime);

        await Tell("building-height", S(N(45), superintendent));
        await Quiesce();
        height = await Strongest("building-height");
        AssertNumber(45, height);
        AssertSupport(height, superintendent);
        await Net.BringIn(shadows);
        await Quiesce();
        height = await Strongest("building-height");
        AssertNumber(45, height);
        AssertSupport(height, superintendent);
    }

    [Fact]
    public async Task D0_switch_passes_its_controls_support()
    {
        await Net.Primitive(On(1), BuiltInPropagators.Switch, C("control"), C("frob"), C("maybe-frob"));
        await Tell("frob", Tms.Of(S(N(4), "bill")));
        await Tell("control", Tms.Of(S(BoolValue.True, "fred")));
        await Quiesce();
        var maybe = await Strongest("maybe-frob");
        AssertNumber(4, maybe);
        AssertSupport(maybe, "bill", "fred");
    }

    [Fact]
    public async Task D10_contradiction_clears_when_its_premise_is_kicked_out()
    {
        string fst = C("fst"), snd = C("snd"), red = C("red");
        await Net.Constraint(On(0), BuiltInPropagators.Product, C("x"), C("y"), C("p"));
        await Tell("x", S(N(8), fst));
        await Tell("p", S(N(40), snd));
        await Quiesce();
        var y = await Strongest("y");
        AssertNumber(5, y);
        AssertSupport(y, fst, snd);

        await Tell("p", S(N(5), red));
        var report = await Quiesce();
        var contradiction = Assert.IsType<Contradiction>(await Strongest("p"));
        Assert.True(contradiction.Premises.Contains(red));
        Assert.Contains(report.Contradictions, c => c.Source == C("p") && c.Unresolvable);

        await Net.KickOut(red);
        report = await Quiesce();
        Assert.False((await Strongest("p")).IsContradiction);
        AssertNumber(40, await Strongest("p"));
        Assert.DoesNotContain(report.Contradictions, c => c.Source.StartsWith(C(""), StringComparison.Ordinal));
    }
}

[Collection(OneSilo.Name)]
public sealed class TmsNetworkOnOneSilo(OneSiloNetwork fixture) : TmsNetworkTests(fixture);

[Collection(TwoSilos.Name)]
public sealed class TmsNetworkOnTwoSilos(TwoSiloNetwork fixture) : TmsNetworkTests(fixture);
