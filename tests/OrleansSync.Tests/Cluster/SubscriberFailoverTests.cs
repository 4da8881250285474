using Orleans.Runtime;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using Xunit;

namespace OrleansSync.Tests.Cluster;

/// <summary>A subscriber keeps receiving after the silo that hosts its cell dies.</summary>
public sealed class SubscriberFailoverTests
{
    [Fact]
    public async Task Subscriber_keeps_receiving_after_the_hosting_silo_is_killed()
    {
        await using var cluster = await SqliteCluster.StartAsync(silos: 2);
        var client = cluster.Client;
        var recorder = new ChangeRecorder();
        // No renewal during the test: only the subscribers the cell stored and reloads can bring the change.
        await using var subscriber = new CellSubscriber(client, recorder.Record, renewEvery: TimeSpan.FromHours(1));

        var cell = client.GetGrain<ICellGrain>("failover");
        await subscriber.SubscribeAsync("failover");
        await cell.Merge(GrowSet.Of("before"));
        await recorder.WaitFor("failover", 1);

        var host = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(cell);
        Assert.NotNull(host);
        var victim = cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await cluster.Cluster.KillSiloAsync(victim);

        // The next merge re-activates the cell on the survivor, which reloads its subscribers from storage.
        var result = await Retry(() => cell.Merge(GrowSet.Of("after")));
        Assert.Equal(2, result.Version);
        var change = await recorder.WaitFor("failover", 2, TimeSpan.FromSeconds(60));
        Assert.Equal(GrowSet.Of("before", "after"), change.Strongest);

        var newHost = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(cell);
        Assert.NotEqual(host, newHost);
    }

    // Calls racing the failure detector fail until the dead silo is declared dead; retry on that signal, bounded.
    private static async Task<T> Retry<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (DateTime.UtcNow < deadline && error is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
            {
            }
        }
    }
}
