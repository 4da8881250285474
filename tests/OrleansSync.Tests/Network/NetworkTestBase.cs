using Xunit;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Propagators;

namespace OrleansSync.Tests.Network;

/// <summary>Helpers shared by the network tests: unique cell names per test, quiescence, and value assertions.</summary>
public abstract class NetworkTestBase(NetworkFixture fixture)
{
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];

    protected static readonly TimeSpan QuiescenceTimeout = TimeSpan.FromSeconds(90);

    protected NetworkFixture Fixture { get; } = fixture;

    protected PropagatorNetwork Net => Fixture.Network;

    /// <summary>A cell id private to this test.</summary>
    protected string C(string name) => $"{_prefix}.{name}";

    /// <summary>Alternates machines so every network runs on both silos.</summary>
    protected static string On(int i) => i % 2 == 0 ? NetworkFixture.A : NetworkFixture.B;

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
