using System.Globalization;
using System.Net;
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
