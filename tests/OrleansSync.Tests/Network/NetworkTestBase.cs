using Xunit;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Propagators;

namespace OrleansSync.Tests.Network;

/// <summary>
/// Helpers shared by the network tests: unique cell names and a network of its own per test (so one test's
/// contradictions never appear in another's report), quiescence, and value assertions.
/// </summary>
public abstract class NetworkTestBase
{
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];

    protected NetworkTestBase(NetworkFixture fixture)
    {
        Fixture = fixture;
        Net = new PropagatorNetwork(fixture.Cluster.Client, network: $"test-{_prefix}");
    }

    protected static readonly TimeSpan QuiescenceTimeout = TimeSpan.FromSeconds(90);

    protected NetworkFixture Fixture { get; }

    protected PropagatorNetwork Net { get; }

    /// <summary>A cell id private to this test.</summary>
    protected string C(string name) => $"{_prefix}.{name}";

    /// <summary>Alternates machines so every network runs on every silo.</summary>
    protected string On(int i) => Fixture.Machines[i % Fixture.Machines.Count];

    protected Task<QuiescenceReport> Quiesce() => Net.WaitForQuiescence(QuiescenceTimeout);

    protected Task<PartialInfo> Strongest(string name) => Net.Strongest(C(name));

    protected Task<MergeResult> Tell(string name, PartialInfo value) => Net.Tell(C(name), value);

    protected static NumberValue N(double x) => new(x);

    protected static Interval I(double lo, double hi) => new(lo, hi);

    protected static Supported S(PartialInfo value, params string[] premises) => Supported.By(value, premises);

    /// <summary>A fact every worldview holds, for cells that also hold supported values.</summary>
    protected static Supported Fact(PartialInfo value) => new(value, PremiseSet.Empty);

    protected static void AssertNumber(double expected, PartialInfo actual, double relative = 1e-9)
    {
        var value = actual is Supported s ? s.Value : actual;
        var n = Assert.IsType<NumberValue>(value);
        Assert.True(Math.Abs(n.Value - expected) <= relative * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {n.Value:R}");
    }

    protected static void AssertInterval(double lo, double hi, PartialInfo actual, double relative = 1e-9)
    {
        var value = actual is Supported s ? s.Value : actual;
        var i = Assert.IsType<Interval>(value);
        Assert.True(Math.Abs(i.Lo - lo) <= relative * Math.Max(1, Math.Abs(lo)) && Math.Abs(i.Hi - hi) <= relative * Math.Max(1, Math.Abs(hi)),
            $"expected [{lo:R}, {hi:R}], got {i}");
    }

    protected static void AssertSupport(PartialInfo actual, params string[] premises)
    {
        var s = Assert.IsType<Supported>(actual);
        Assert.Equal(PremiseSet.Of(premises), s.Support);
    }
}
