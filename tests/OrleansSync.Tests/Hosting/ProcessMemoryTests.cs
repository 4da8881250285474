using OrleansSync.Hosting;
using Xunit;

namespace OrleansSync.Tests.Hosting;

public sealed class ProcessMemoryTests
{
    [Theory]
    [InlineData(50_000, 20_000, 20_000, true)]    // a large drop to under half, and no growth since: trim
    [InlineData(50_000, 20_000, 12_000, true)]    // still falling
    [InlineData(50_000, 50_000, 20_000, false)]   // the drop just happened: wait a look to see whether the load goes on
    [InlineData(50_000, 20_000, 24_000, false)]   // growing again after a wave of collection: a load is running
    [InlineData(50_000, 30_000, 30_000, false)]   // still more than half of the peak
    [InlineData(1_500, 600, 600, false)]          // too few released to be worth a blocking collection
    [InlineData(0, 0, 0, false)]                  // nothing ever ran
    public void Trims_only_after_a_real_drop_that_has_settled(long peak, long previous, long current, bool expected) =>
        Assert.Equal(expected, ProcessMemory.ShouldTrim(peak, previous, current, minReleased: 1_000));

    [Fact]
    public void Trimming_gives_back_memory_a_burst_left_committed()
    {
        // A burst of garbage leaves the GC heap committed beyond what is live.
        var burst = Enumerable.Range(0, 200).Select(_ => new byte[1024 * 1024]).ToList();
        GC.KeepAlive(burst);
        burst = null;
        ProcessMemory.Trim();
        // Other tests share this process's heap, so only the aggressive collection's own accounting is compared:
        // it decommits what is free, leaving committed close to what is live.
        var after = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(after.TotalCommittedBytes - after.HeapSizeBytes < 32L * 1024 * 1024,
            $"committed {after.TotalCommittedBytes / (1024 * 1024)} MB after trimming, live {after.HeapSizeBytes / (1024 * 1024)} MB");
    }
}
