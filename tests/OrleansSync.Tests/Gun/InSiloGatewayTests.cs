using System.Globalization;
using System.Net;
using OrleansSync.Gun;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Gun;

/// <summary>The single-machine default of run.sh: the silo process hosts the Gun relay and the web view itself.</summary>
public sealed class InSiloGatewayTests
{
    [Fact]
    public async Task A_silo_hosting_the_relay_serves_gun_peers_the_sync_namespace_and_the_web_view()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["OrleansSync:DataDirectory"] = data.Path,
            ["OrleansSync:MachineId"] = "A",
            ["OrleansSync:Gateway:InSilo"] = "true",
            ["OrleansSync:Gateway:Port"] = port.ToString(CultureInfo.InvariantCulture),
        });
        var url = $"http://127.0.0.1:{port}/gun";
        // Printed just after the silo's own ready line, which is what starting the process waits for.
        await Conditions.WaitUntilAsync(() => Task.FromResult(silo.Output.Contains("OrleansSync Gun gateway ready", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the relay's ready line");

        await GunPeers.Run("basics.js", url);
        await GunPeers.Run("listings.js", url, "A", await Propagator(silo), "in-silo-a", "in-silo-new");

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Contains("app.js", await http.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/gun.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Nodes_nobody_holds_are_created_without_an_activation_and_read_back_through_one()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        await using var silo = await StartWithRelay(data, "A", port);
        await using var client = await OrleansClient.ConnectLocalhostAsync(silo.GatewayPort);
        var management = client.Client.GetGrain<IManagementGrain>(0);

        await GunPeers.Run("fresh.js", RelayUrl(port), "fresh", "200", "write");
        Assert.Equal(0, await GunNodeActivations(management));
        Assert.Contains((await Metrics(silo)).Split('\n'), l => l.StartsWith("orleanssync_gun_nodes_created_without_activation_total", StringComparison.Ordinal) && l.EndsWith(" 200", StringComparison.Ordinal));

        await GunPeers.Run("fresh.js", RelayUrl(port), "fresh", "200", "read");
        Assert.Equal(200, await GunNodeActivations(management));
    }

    [Fact]
    public async Task Nodes_created_without_an_activation_survive_a_killed_silo()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        var silo = await StartWithRelay(data, "A", port);
        await GunPeers.Run("fresh.js", RelayUrl(port), "killed", "500", "write");
        await silo.KillAsync();
        await silo.DisposeAsync();

        await using var restarted = await StartWithRelay(data, "A", port);
        await using var client = await OrleansClient.ConnectLocalhostAsync(restarted.GatewayPort);
        var nodes = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => client.Client.GetGrain<IGunNodeGrain>($"killed/{i}").Get()));
        Assert.All(nodes, (node, i) => Assert.Equal($"\"value {i}\"", node?.Fields["v"].Value));
    }

    [Fact]
    public async Task Creates_without_an_activation_never_miss_a_watcher_or_a_rival_writer()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        await using var silo = await StartWithRelay(data, "A", port);
        await GunPeers.Run("create-race.js", RelayUrl(port));
        await GunPeers.Run("order.js", RelayUrl(port));
        await GunPeers.Run("ham.js", RelayUrl(port));
    }

    [Fact]
    public async Task With_a_second_silo_every_gun_node_is_activated_on_the_one_that_creates_them()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        await using var a = await StartWithRelay(data, "A", port);
        await using var b = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["OrleansSync:DataDirectory"] = data.Path,
            ["OrleansSync:MachineId"] = "B",
            ["OrleansSync:PrimarySiloPort"] = a.SiloPort.ToString(CultureInfo.InvariantCulture),
        });
        // Created by A's relay without activations, then read by a client of B: the activations are made on A all the same.
        await GunPeers.Run("fresh.js", RelayUrl(port), "two-silos", "100", "write");
        await using var client = await OrleansClient.ConnectLocalhostAsync(b.GatewayPort);
        var nodes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.Client.GetGrain<IGunNodeGrain>($"two-silos/{i}").Get()));
        Assert.All(nodes, (node, i) => Assert.Equal($"\"value {i}\"", node!.Fields["v"].Value));
        // And what B's client writes first: placed on A, so A's relay never creates a node that B holds.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.Client.GetGrain<IGunNodeGrain>($"from-b/{i}").Put(
            new GunNodeDelta($"from-b/{i}", new Dictionary<string, GunField> { ["v"] = new($"{i}", 1) }))));

        var management = client.Client.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);
        var siloB = hosts.Keys.Single(h => h.Endpoint.Port == b.SiloPort);
        Assert.Equal(0, await GunNodeActivations(management, siloB));
        Assert.Equal(200, await GunNodeActivations(management));
    }

    private static async Task<SiloProcess> StartWithRelay(TempDirectory data, string machine, int port)
    {
        var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["OrleansSync:DataDirectory"] = data.Path,
            ["OrleansSync:MachineId"] = machine,
            ["OrleansSync:Gateway:InSilo"] = "true",
            ["OrleansSync:Gateway:Port"] = port.ToString(CultureInfo.InvariantCulture),
        });
        await Conditions.WaitUntilAsync(() => Task.FromResult(silo.Output.Contains("OrleansSync Gun gateway ready", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the relay's ready line");
        return silo;
    }

    private static string RelayUrl(int port) => $"http://127.0.0.1:{port}/gun";

    private static async Task<int> GunNodeActivations(IManagementGrain management, params SiloAddress[] silos) =>
        (await (silos.Length == 0 ? management.GetSimpleGrainStatistics() : management.GetSimpleGrainStatistics(silos)))
        .Where(s => s.GrainType.Contains("GunNodeGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    private static async Task<string> Metrics(SiloProcess silo)
    {
        using var http = new HttpClient { BaseAddress = silo.WebAddress };
        return await http.GetStringAsync("/metrics");
    }

    /// <summary>A propagator on machine A over cell in-silo-a, created by a backend client as run.sh's users do.</summary>
    private static async Task<string> Propagator(SiloProcess silo)
    {
        await using var client = await OrleansClient.ConnectLocalhostAsync(silo.GatewayPort);
        var network = new OrleansSync.Propagators.PropagatorNetwork(client.Client);
        var adder = await network.Primitive("A", OrleansSync.Propagation.BuiltInPropagators.Add, "in-silo-a", "in-silo-b", "in-silo-sum");
        await network.Tell("in-silo-a", new OrleansSync.Lattice.NumberValue(1));
        return adder.Spec.Id;
    }
}
