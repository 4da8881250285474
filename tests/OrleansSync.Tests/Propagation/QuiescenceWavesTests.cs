using OrleansSync.Machines;
using Xunit;

namespace OrleansSync.Tests.Propagation;

/// <summary>The four-counter test that clients and waiting searches share.</summary>
public sealed class QuiescenceWavesTests
{
    private static int[] Wave(params int[] counters) => counters;

    [Fact]
    public void Two_settled_waves_that_read_the_same_counters_are_quiescence()
    {
        var waves = new QuiescenceWaves<int>();
        Assert.Equal(WaveVerdict.SampleAtOnce, waves.Next(Wave(3, 3), settled: true));
        Assert.Equal(WaveVerdict.Quiescent, waves.Next(Wave(3, 3), settled: true));
        Assert.True(waves.AtFirstWave);
    }

    [Fact]
    public void Work_between_the_waves_is_not_quiescence_and_the_next_confirmation_waits()
    {
        var waves = new QuiescenceWaves<int>();
        Assert.Equal(WaveVerdict.SampleAtOnce, waves.Next(Wave(3, 3), settled: true));
        // Settled again, but other counters: something ran in between. Confirmed at once only once in a row.
        Assert.Equal(WaveVerdict.SampleLater, waves.Next(Wave(5, 5), settled: true));
        Assert.False(waves.AtFirstWave);
        Assert.Equal(WaveVerdict.Quiescent, waves.Next(Wave(5, 5), settled: true));
    }

    [Fact]
    public void An_unsettled_or_unread_wave_confirms_nothing()
    {
        var waves = new QuiescenceWaves<int>();
        Assert.Equal(WaveVerdict.SampleLater, waves.Next(Wave(4, 3), settled: false));
        Assert.True(waves.AtFirstWave);
        Assert.Equal(WaveVerdict.SampleAtOnce, waves.Next(Wave(4, 4), settled: true));
        waves.Forget();
        Assert.NotEqual(WaveVerdict.Quiescent, waves.Next(Wave(4, 4), settled: true));
    }
}
