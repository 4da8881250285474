using Orleans.Concurrency;
using OrleansSync.Propagation;

namespace OrleansSync.Machines;

/// <summary>
/// One of a machine's shards of propagators (key <c>{machine}#{shard}</c>), stored in pages of bounded size, so no
/// row grows with the number of propagators and registering one writes one page. A propagator's shard is fixed by its
/// id (<see cref="MachineShards"/>); its page is returned at registration and kept with the propagator.
/// </summary>
[Alias("OrleansSync.IMachineShardGrain")]
public interface IMachineShardGrain : IGrainWithStringKey
{
    /// <summary>Adds the propagator (or replaces its spec); returns the page it is on.</summary>
    [Alias("Register")]
    Task<int> Register(PropagatorSpec spec);

    /// <summary>Removes the propagator from <paramref name="page"/> (or looks for it in every page when null).</summary>
    [Alias("Unregister")]
    Task Unregister(string propagatorId, int? page);

    [AlwaysInterleave, Alias("GetPageCount")]
    Task<int> GetPageCount();

    [AlwaysInterleave, Alias("GetPage")]
    Task<IReadOnlyList<PropagatorSpec>> GetPage(int page);

    [AlwaysInterleave, Alias("GetCount")]
    Task<long> GetCount();
}

/// <summary>How a machine's propagators are spread over its shards.</summary>
public static class MachineShards
{
    /// <summary>Shards per machine: registrations on one machine proceed this many at a time.</summary>
    public const int Count = 16;

    public static string Key(string machine, int shard) => $"{machine}#{shard}";

    /// <summary>A machine's propagators, shard by shard, a page at a time: what a caller reads costs what it holds.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<PropagatorSpec>> PagesOf(IGrainFactory grains, string machine)
    {
        for (var shard = 0; shard < Count; shard++)
        {
            var grain = grains.GetGrain<IMachineShardGrain>(Key(machine, shard));
            var pages = await grain.GetPageCount();
            for (var page = 0; page < pages; page++) yield return await grain.GetPage(page);
        }
    }

    /// <summary>A stable shard for a propagator id (FNV-1a; string.GetHashCode differs between processes).</summary>
    public static int Of(string propagatorId)
    {
        var hash = 2166136261u;
        foreach (var c in propagatorId)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash % Count);
    }
}
