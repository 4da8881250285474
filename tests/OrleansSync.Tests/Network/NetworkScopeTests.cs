using OrleansSync.Lattice;
using OrleansSync.Propagators;
using Xunit;
using P = OrleansSync.Propagation.BuiltInPropagators;

namespace OrleansSync.Tests.Network;

/// <summary>
/// Networks are scopes: a network's quiescence waits for the work its own input caused and nothing else, and its
/// report lists its own contradictions only.
/// </summary>
public abstract class NetworkScopeTests(NetworkFixture fixture) : NetworkTestBase(fixture)
{
    [Fact]
    public async Task A_contradiction_of_one_network_is_not_in_anothers_report()
    {
        var other = Net.For(Net.Network + "-other");
        await other.Tell(C("clash"), N(100));
        await other.Tell(C("clash"), N(123));
        var otherReport = await other.WaitForQuiescence(QuiescenceTimeout);
        Assert.Contains(otherReport.Unresolvable, c => c.Source == C("clash"));

        await Net.Primitive(On(0), P.Add, C("a"), C("b"), C("c"));
        await Tell("a", N(1));
        await Tell("b", N(2));
        var report = await Quiesce();
        AssertNumber(3, await Strongest("c"));
        Assert.Empty(report.Contradictions);
        Assert.Equal(Net.Network, report.Network);
    }

    [Fact]
    public async Task Waiting_for_one_network_does_not_wait_for_another_networks_work()
    {
        var busy = Net.For(Net.Network + "-busy");
        await busy.Primitive(On(0), Held.Name, C("held-in"), C("held-out"));
        // Its run starts now and is held: that network has work in flight until the test lets it go.
        await busy.Tell(C("held-in"), N(7));
        try
        {
            await Net.Primitive(On(1), P.Add, C("x"), C("y"), C("z"));
            await Tell("x", N(1));
            await Tell("y", N(2));
            await Quiesce();
            AssertNumber(3, await Strongest("z"));
            await Assert.ThrowsAsync<TimeoutException>(() => busy.WaitForQuiescence(TimeSpan.FromMilliseconds(500)));
        }
        finally
        {
            Held.Release();
        }
        await busy.WaitForQuiescence(QuiescenceTimeout);
        AssertNumber(7, await busy.Strongest(C("held-out")));
    }
}

[Collection(OneSilo.Name)]
public sealed class NetworkScopeOnOneSilo(OneSiloNetwork fixture) : NetworkScopeTests(fixture);

[Collection(TwoSilos.Name)]
public sealed class NetworkScopeOnTwoSilos(TwoSiloNetwork fixture) : NetworkScopeTests(fixture);
