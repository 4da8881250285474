using Orleans.Concurrency;

namespace OrleansSync.Machines;

/// <summary>Samples every active silo's propagation counters for one network (one wave of the four-counter method).</summary>
[Alias("OrleansSync.IPropagationMonitorGrain")]
public interface IPropagationMonitorGrain : IGrainWithIntegerKey
{
    [AlwaysInterleave, Alias("Sample")]
    Task<IReadOnlyList<PropagationCounters>> Sample(string network);
}
