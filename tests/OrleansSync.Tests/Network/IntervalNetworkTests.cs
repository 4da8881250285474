using OrleansSync.Lattice;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using Xunit;

namespace OrleansSync.Tests.Network;

/// <summary>The barometer problem on intervals (cases B1–B3, B5) and order independence (F5).</summary>
public abstract class IntervalNetworkTests(NetworkFixture fixture) : NetworkTestBase(fixture)
{
    private static PartialInfo Plain(PartialInfo value) => value;

    [Fact]
    public async Task B1_fall_time_alone()
    {
        await Barometer.Create(Net, Barometer.FallDuration(C, Plain, "fall-time", "building-height", On));
        await Tell("fall-time", I(2.9, 3.1));
        await Quiesce();
        AssertInterval(41.162745, 47.24276000000001, await Strongest("building-height"));
    }

    [Fact]
    public async Task B2_B3_B5_shadows_then_fall_time_refines_inputs_then_contradiction()
    {
        await Barometer.Create(Net, Barometer.SimilarTriangles(C, "barometer-shadow", "barometer-height", "building-shadow", "building-height", On));
        await Tell("building-shadow", I(54.9, 55.1));
        await Tell("barometer-height", I(0.3, 0.32));
        await Tell("barometer-shadow", I(0.36, 0.37));
        await Quiesce();
        AssertInterval(44.51351351351351, 48.977777777777774, await Strongest("building-height"));

        await Barometer.Create(Net, Barometer.FallDuration(C, Plain, "fall-time", "building-height", On));
        await Tell("fall-time", I(2.9, 3.1));
        await Quiesce();
        AssertInterval(44.51351351351351, 47.24276000000001, await Strongest("building-height"));
        AssertInterval(0.3, 0.3183938287795994, await Strongest("barometer-height"));
        AssertInterval(3.0091234174691017, 3.1, await Strongest("fall-time"));
        AssertInterval(0.36, 0.37, await Strongest("barometer-shadow"));

        // B5: information that contradicts what the network knows makes the cell a contradiction, which stops there.
        await Tell("building-height", I(48, 50));
        var report = await Quiesce();
        Assert.True((await Strongest("building-height")).IsContradiction);
        Assert.Contains(report.Contradictions, c => c.Source == C("building-height") && c.Unresolvable);
        AssertInterval(3.0091234174691017, 3.1, await Strongest("fall-time"));
    }

    /// <summary>
    /// F5: the inputs of B2–B3 told in random orders, one at a time or all at once, give identical
    /// quiescent strongest values, equal to the in-process scheduler's; telling an input again changes nothing.
    /// </summary>
    [Fact]
    public async Task F5_order_independence()
    {
        (string Cell, PartialInfo Value)[] inputs =
        [
            ("building-shadow", I(54.9, 55.1)),
            ("barometer-height", I(0.3, 0.32)),
            ("barometer-shadow", I(0.36, 0.37)),
            ("fall-time", I(2.9, 3.1)),
        ];

        var local = new LocalNetwork(MergeRegistry.Default);
        foreach (var spec in Specs(name => name)) local.Attach(spec);
        foreach (var (cell, value) in inputs) local.Tell(cell, value);
        local.Run();
        var expected = Barometer.Cells.Select(local.Strongest).ToArray();

        var random = new Random(20261125);
        for (var round = 0; round < 4; round++)
        {
            var prefix = $"order{round}.";
            foreach (var spec in Specs(name => C(prefix + name))) await Net.Create(spec);
            var order = inputs.OrderBy(_ => random.Next()).ToArray();
            if (round % 2 == 0)
                foreach (var (cell, value) in order) await Tell(prefix + cell, value);
            else
                await Task.WhenAll(order.Select(i => Tell(prefix + i.Cell, i.Value)));
            await Quiesce();
            var actual = await Task.WhenAll(Barometer.Cells.Select(c => Strongest(prefix + c)));
            Assert.Equal(expected, actual);

            // Telling again what is known changes nothing and alerts no propagator: no propagation starts at all.
            static IEnumerable<(string, long, long)> Work(QuiescenceReport report) => report.Counters.Select(c => (c.Machine, c.Started, c.Finished));
            var counters = Work(await Quiesce()).ToArray();
            foreach (var (cell, value) in order) Assert.False((await Tell(prefix + cell, value)).Changed);
            Assert.Equal(counters, Work(await Quiesce()));
        }
    }

    private IEnumerable<PropagatorSpec> Specs(Func<string, string> cell) =>
        Barometer.SimilarTriangles(cell, "barometer-shadow", "barometer-height", "building-shadow", "building-height", On)
            .Concat(Barometer.FallDuration(cell, Plain, "fall-time", "building-height", On));
}

[Collection(OneSilo.Name)]
public sealed class IntervalNetworkOnOneSilo(OneSiloNetwork fixture) : IntervalNetworkTests(fixture);

[Collection(TwoSilos.Name)]
public sealed class IntervalNetworkOnTwoSilos(TwoSiloNetwork fixture) : IntervalNetworkTests(fixture);
