using OrleansSync.Gun;
using OrleansSync.Tests.Cluster;
using Xunit;

namespace OrleansSync.Tests.Storage;

/// <summary>
/// A node is not read on activation: its first put is written as if no row were there, and the ETag turns that write
/// down when a row is there after all. Then the node reads what is stored and the put goes through HAM as usual, so a
/// stored node is never overwritten by a put that finds it idle.
/// </summary>
public sealed class GunNodeFirstWriteTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private readonly double _state = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;

    private IGunNodeGrain Node(string soul) => fixture.Cluster.Client.GetGrain<IGunNodeGrain>(soul);

    private static GunNodeDelta Delta(string soul, string key, string value, double state) =>
        new(soul, new Dictionary<string, GunField> { [key] = new(value, state) });

    [Fact]
    public async Task A_put_to_an_idle_stored_node_merges_with_what_is_stored_by_HAM()
    {
        var soul = $"first/{Guid.NewGuid():N}";
        Assert.Equal(["a"], (await Node(soul).Put(Delta(soul, "a", "\"one\"", _state))).Accepted);

        await fixture.Cluster.Cluster.DeactivateAsync(Node(soul));
        Assert.Equal(["b"], (await Node(soul).Put(Delta(soul, "b", "\"two\"", _state))).Accepted);

        // An older state for a stored key loses, though the node was idle when the put came.
        await fixture.Cluster.Cluster.DeactivateAsync(Node(soul));
        var stale = await Node(soul).Put(Delta(soul, "a", "\"stale\"", _state - 1_000));
        Assert.Equal(["a"], stale.Ignored);
        Assert.Empty(stale.Accepted);

        await fixture.Cluster.Cluster.DeactivateAsync(Node(soul));
        var node = (await Node(soul).Get())!;
        Assert.Equal("\"one\"", node.Fields["a"].Value);
        Assert.Equal("\"two\"", node.Fields["b"].Value);
    }

    [Fact]
    public async Task A_read_that_comes_while_a_first_put_is_refused_sees_every_stored_key()
    {
        var souls = Enumerable.Range(0, 20).Select(i => $"first/{Guid.NewGuid():N}").ToArray();
        foreach (var soul in souls)
        {
            await Node(soul).Put(Delta(soul, "stored", "\"kept\"", _state));
            await fixture.Cluster.Cluster.DeactivateAsync(Node(soul));
        }

        // Get interleaves with Put: it must wait until the node knows what is stored, not answer from the first write.
        var runs = await Task.WhenAll(souls.Select(async soul =>
        {
            var put = Node(soul).Put(Delta(soul, "added", "\"new\"", _state));
            var read = Node(soul).Get();
            return (Put: await put, Read: await read);
        }));

        Assert.All(runs, run => Assert.Equal(["added"], run.Put.Accepted));
        Assert.All(runs, run => Assert.Equal("\"kept\"", run.Read!.Fields["stored"].Value));
        foreach (var soul in souls)
        {
            await fixture.Cluster.Cluster.DeactivateAsync(Node(soul));
            Assert.Equal(["added", "stored"], (await Node(soul).Get())!.Fields.Keys.Order());
        }
    }

    [Fact]
    public async Task A_first_put_to_a_new_node_is_stored_and_a_read_beside_it_sees_it_or_nothing()
    {
        var souls = Enumerable.Range(0, 20).Select(i => $"first/{Guid.NewGuid():N}").ToArray();
        var runs = await Task.WhenAll(souls.Select(async soul =>
        {
            var put = Node(soul).Put(Delta(soul, "k", "\"v\"", _state));
            var read = Node(soul).Get();
            return (Put: await put, Read: await read);
        }));

        Assert.All(runs, run => Assert.Equal(["k"], run.Put.Accepted));
        Assert.All(runs, run => Assert.True(run.Read is null || run.Read.Fields["k"].Value == "\"v\""));
        foreach (var soul in souls)
        {
            await fixture.Cluster.Cluster.DeactivateAsync(Node(soul));
            Assert.Equal("\"v\"", (await Node(soul).Get())!.Fields["k"].Value);
        }
    }
}
