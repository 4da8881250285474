using OrleansSync.Grains.Propagation;
using OrleansSync.Machines;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Machines;

/// <summary>
/// A machine's agent on its own silo: reads this silo's counters for a network, takes batches of wakes from other
/// machines into the local scheduler, and catches the machine's propagators up (shard by shard, page by page, a few
/// hundred at a time) when the machine starts or another silo died.
/// </summary>
[GrainType("machine-agent"), MachinePlacement]
public sealed class MachineAgentGrain(PropagationTracker tracker, LocalScheduler scheduler) : Grain, IMachineAgentGrain
{
    private const int InFlight = 256;

    private string Machine => this.GetPrimaryKeyString();

    public Task<PropagationCounters> GetCounters(string network) => Task.FromResult(tracker.Read(Machine, network));

    public Task Deliver(IReadOnlyList<Wake> wakes)
    {
        // A lone wake runs here and now (its propagator's results may go on to other machines at once); a batch queues.
        var inline = wakes.Count == 1;
        foreach (var wake in wakes) scheduler.Deliver(wake, inline: inline);
        return Task.CompletedTask;
    }

    public async Task<int> CatchUp()
    {
        var woken = 0;
        var pending = new List<Task>();
        await foreach (var page in MachineShards.PagesOf(GrainFactory, Machine))
        {
            foreach (var spec in page)
            {
                var propagator = GrainFactory.GetGrain<IPropagatorGrain>(spec.Id);
                var counters = tracker.For(spec.Network);
                // Counted before it leaves: once this returns, every catch-up is part of its network's quiescence.
                counters.Start();
                pending.Add(Finish(propagator.CatchUp(), counters));
                woken++;
                if (pending.Count >= InFlight)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
            }
        }
        await Task.WhenAll(pending);
        return woken;
    }

    private static async Task Finish(Task call, NetworkCounters counters)
    {
        try
        {
            await call;
        }
        catch (Exception)
        {
            // A propagator that cannot catch up now (its implementation is gone) says so in its status.
        }
        finally
        {
            counters.Finish();
        }
    }
}
