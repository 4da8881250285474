using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansSync.Gun;
using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Propagation;
using OrleansSync.Propagators;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Gun;

/// <summary>Real Gun.js peers against the gateway on a 2-silo cluster (scenarios in tests/GunInterop).</summary>
public sealed class GunGatewayTests(GunGatewayFixture fixture) : IClassFixture<GunGatewayFixture>
{
    [Fact]
    public Task Put_get_not_found_on_once_nested_set_map_and_delete() => GunPeers.Run("basics.js", fixture.Gateway.Url);

    [Fact]
    public Task Ham_stale_tie_future_and_invalid_writes() => GunPeers.Run("ham.js", fixture.Gateway.Url);

    [Fact]
    public Task Sea_users_sign_and_certify_and_forged_user_data_is_refused() => GunPeers.Run("sea-users.js", fixture.Gateway.Url);

    [Fact]
    public Task Sea_values_in_the_format_from_before_2019_are_checked_as_guns_relay_checks_them() => GunPeers.Run("sea-legacy.js", fixture.Gateway.Url);

    [Fact]
    public async Task Guns_own_relay_judges_the_format_from_before_2019_as_the_legacy_scenario_expects()
    {
        // The scenario's expectations are gun's: the same script passes against gun's relay (which loads SEA), leaving
        // out the one case where gun's relay lets any signer through.
        var port = FreePort.Next();
        var repository = Path.GetFullPath(Path.Combine(GunPeers.Directory, "..", ".."));
        await using var relay = await GunRelayProcess.StartAsync(repository, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await GunPeers.Run("sea-legacy.js", $"http://127.0.0.1:{port}/gun", "gun");
    }

    [Fact]
    public async Task Connections_per_address_and_messages_per_second_are_limited_with_a_reason()
    {
        // A gateway of its own on the same cluster, with small limits.
        await using var limited = await GatewayServer.StartAsync(fixture.Cluster.Client, FreePort.Next(), new Dictionary<string, string?>
        {
            ["OrleansSync:Gateway:MaxConnectionsPerAddress"] = "4",
            ["OrleansSync:Gateway:MaxMessagesPerSecond"] = "50",
            ["OrleansSync:Gateway:MessageBurst"] = "200",
        });
        await GunPeers.Run("limits.js", limited.Url, "4", "200");
    }

    [Fact]
    public async Task A_watched_node_is_not_collected_while_idle_and_keeps_pushing()
    {
        // Subscribers are kept in the node's memory only: collected while watched, it would push nothing until the
        // gateway's next renewal, up to 40 s later.
        var changes = new TaskCompletionSource<GunNodeDelta>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = new NodeWatcher(changes);
        var reference = fixture.Cluster.Client.CreateObjectReference<IGunNodeObserver>(watcher);
        try
        {
            var soul = "watched/" + Guid.NewGuid().ToString("N");
            var node = fixture.Cluster.Client.GetGrain<IGunNodeGrain>(soul);
            Assert.Null(await node.Subscribe(reference, TimeSpan.FromMinutes(2)));
            await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromMilliseconds(1));

            await node.Put(new GunNodeDelta(soul, new Dictionary<string, GunField> { ["v"] = new("\"hello\"", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) }));
            var pushed = await changes.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("\"hello\"", pushed.Fields["v"].Value);
        }
        finally
        {
            // CreateObjectReference holds the watcher only weakly: collected, it would drop the push (and this call throw).
            GC.KeepAlive(watcher);
            fixture.Cluster.Client.DeleteObjectReference<IGunNodeObserver>(reference);
        }
    }

    private sealed class NodeWatcher(TaskCompletionSource<GunNodeDelta> changes) : IGunNodeObserver
    {
        public void NodeChanged(GunNodeDelta change, GunWriteOrigin? origin) => changes.TrySetResult(change);

        public void SubscriberAck(string putId, string ok)
        {
        }
    }

    [Fact]
    public Task Messages_of_one_connection_take_effect_in_the_order_sent() => GunPeers.Run("order.js", fixture.Gateway.Url);

    [Fact]
    public Task Hostile_souls_keys_and_future_states_get_clear_errors_and_store_nothing() =>
        GunPeers.Run("hostile.js", fixture.Gateway.Url, GunGatewayFixture.MaxPendingWrites.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Malformed_barrage_leaves_good_clients_working_and_data_unchanged()
    {
        var output = await GunPeers.Run("barrage.js", fixture.Gateway.Url,
            GunGatewayFixture.MaxFrameBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            GunGatewayFixture.MaxSoulsPerPut.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var sent = output.Split('\n').Single(l => l.StartsWith("bad frames sent: ", StringComparison.Ordinal));
        Assert.True(int.Parse(sent["bad frames sent: ".Length..], System.Globalization.CultureInfo.InvariantCulture) >= 300, sent);
    }

    [Fact]
    public async Task Gun_apps_list_machines_propagators_and_cells_with_map_and_see_new_cells_arrive()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        string a = $"list-a-{id}", b = $"list-b-{id}", sum = $"list-sum-{id}";
        var network = new PropagatorNetwork(fixture.Cluster.Client);
        var adder = await network.Primitive("A", BuiltInPropagators.Add, a, b, sum);
        await network.Tell(a, new NumberValue(1));
        await GunPeers.Run("listings.js", fixture.Gateway.Url, "A", adder.Spec.Id, a, $"list-new-{id}");
        // The peer's cell came from a Gun write: it is a real cell.
        Assert.Equal(new NumberValue(7), await network.Strongest($"list-new-{id}"));
    }

    [Fact]
    public async Task A_peer_contributes_to_a_cell_and_sees_a_propagator_output_in_another()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        string x = $"gun-x-{id}", y = $"gun-y-{id}", z = $"gun-z-{id}";
        var network = new PropagatorNetwork(fixture.Cluster.Client);
        await network.Primitive("A", BuiltInPropagators.Add, x, y, z);
        await network.Tell(y, new NumberValue(3));
        await GunPeers.Run("sync.js", fixture.Gateway.Url, x, z, $"ext-{id}");
        Assert.Equal(new NumberValue(5), await network.Strongest(z));
        Assert.True((await network.Strongest(x)).IsContradiction);
        // The peers are gone: the gateway no longer holds subscriptions to the cells they read.
        var sync = fixture.Gateway.Services.GetRequiredService<OrleansSync.GunGateway.Relay.SyncNamespace>();
        await Conditions.WaitUntilAsync(() => Task.FromResult(!sync.SubscribedCells.Contains(z) && !sync.SubscribedCells.Contains(x)),
            TimeSpan.FromSeconds(30), "the gateway to release the cells its closed connections read");

        var external = await network.Registry.GetMachine($"ext-{id}");
        Assert.Equal(MachineKind.External, external!.Kind);

        // Its writes were its heartbeat: without more, it turns inactive after InactiveAfter (2 s in the test cluster).
        await Conditions.WaitUntilAsync(async () => !(await network.Registry.GetMachine($"ext-{id}"))!.Active,
            TimeSpan.FromSeconds(30), "the external machine to turn inactive");
        Assert.Contains($"ext-{id}/double", (await network.Registry.GetCellPropagators(x))[$"ext-{id}"]);
    }

    [Fact]
    public async Task A_peer_reads_a_carried_cells_children_and_a_closure_through_links()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        string carried = $"gun-env-{id}", closure = $"gun-double-{id}";
        var network = new PropagatorNetwork(fixture.Cluster.Client);
        await network.Tell(carried, CarriedCell.Map(("x", $"gun-cx-{id}"), ("y", $"gun-cy-{id}")));
        await network.Tell($"gun-cx-{id}", new NumberValue(1));
        await network.Tell($"gun-cy-{id}", new NumberValue(2));
        await network.Tell(closure, new Closure("double", ["x"], ["y"], [ClosureStep.Of(BuiltInPropagators.Multiply, "x", "x", "y")], carried));
        await GunPeers.Run("carried.js", fixture.Gateway.Url, carried, closure);
    }

    [Fact]
    public async Task The_admin_endpoint_runs_compaction_and_streams_progress_to_a_summary()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        var baseUrl = $"http://127.0.0.1:{fixture.Gateway.Port}/admin";
        var garbage = $"admin-garbage-{Guid.NewGuid():N}";
        await new PropagatorNetwork(fixture.Cluster.Client).Tell(garbage, new NumberValue(1));

        using var bad = await http.PostAsync($"{baseUrl}/compact?archiveRetention=not-a-time", null);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);

        using var response = await http.PostAsync($"{baseUrl}/compact?archiveRetention=30.00:00:00&tombstoneRetention=7.00:00:00", null);
        response.EnsureSuccessStatusCode();
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var last = System.Text.Json.JsonDocument.Parse(lines[^1]);
        Assert.Equal("done", last.RootElement.GetProperty("phase").GetString());
        var summary = last.RootElement.GetProperty("summary");
        Assert.True(summary.GetProperty("archived").GetInt64() >= 1, lines[^1]);
        Assert.True(summary.GetProperty("cellsScanned").GetInt64() >= 1);

        using var restored = await http.PostAsync($"{baseUrl}/cells/{garbage}", null);
        Assert.Contains("\"version\":1", await restored.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_write_through_one_gateway_reaches_a_subscriber_on_another()
    {
        await using var second = await GatewayServer.StartAsync(fixture.Cluster.Client, FreePort.Next(), GunGatewayFixture.Settings);
        await GunPeers.Run("two-gateways.js", fixture.Gateway.Url, second.Url);
    }

    [Fact]
    public async Task Subscriber_acks_are_routed_back_to_the_writer_on_the_same_and_another_gateway()
    {
        await GunPeers.Run("ack-routing.js", fixture.Gateway.Url, fixture.Gateway.Url);
        await using var second = await GatewayServer.StartAsync(fixture.Cluster.Client, FreePort.Next(), GunGatewayFixture.Settings);
        await GunPeers.Run("ack-routing.js", fixture.Gateway.Url, second.Url);
    }

    [Fact]
    public async Task Client_restores_its_subscription_after_a_gateway_restart_and_data_is_still_there()
    {
        var soul = "restart/" + Guid.NewGuid().ToString("N")[..8];
        await GunPeers.Run("write.js", fixture.Gateway.Url, soul, "k", "1");

        var seen = new Dictionary<string, TaskCompletionSource>
        {
            ["value 1"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["value 2"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["value 3"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var output = new StringBuilder();
        using var subscriber = GunPeers.Start("subscriber.js", line => { if (seen.TryGetValue(line.Trim(), out var tcs)) tcs.TrySetResult(); }, output, fixture.Gateway.Url, soul, "k");
        try
        {
            await Wait(seen["value 1"], output, "the subscriber to read the first value");

            var port = fixture.Gateway.Port;
            await fixture.Gateway.DisposeAsync();
            fixture.Gateway = await GatewayServer.StartAsync(fixture.Cluster.Client, port, GunGatewayFixture.Settings);

            // Written through the new gateway process: the subscriber gets it by its re-get or by a push.
            await GunPeers.Run("write.js", fixture.Gateway.Url, soul, "k", "2");
            await Wait(seen["value 2"], output, "the subscriber to see the value written after the restart");
            // And the subscription it restored carries later pushes.
            await GunPeers.Run("write.js", fixture.Gateway.Url, soul, "k", "3");
            await Wait(seen["value 3"], output, "a push through the restored subscription");
        }
        finally
        {
            subscriber.Kill(entireProcessTree: true);
        }
        var stored = await fixture.Cluster.Client.GetGrain<IGunNodeGrain>(soul).Get();
        Assert.Equal("3", stored!.Fields["k"].Value);
    }

    private static async Task Wait(TaskCompletionSource seen, StringBuilder output, string what)
    {
        try
        {
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            lock (output) throw new TimeoutException($"Timed out waiting for {what}. Subscriber output:\n{output}");
        }
    }
}
