using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OrleansSync.Gun;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Gun;

/// <summary>The silo and the gateway as deployed processes, under faults: a killed silo, and ports already taken.</summary>
public sealed class GunFaultTests
{
    [Fact]
    public async Task With_the_silo_killed_every_put_and_get_gets_a_clear_err_within_the_deadline()
    {
        using var data = new TempDirectory();
        var silo = await SiloProcess.StartAsync(new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = data.Path, ["OrleansSync:MachineId"] = "gun-fault" });
        await using var gateway = await GatewayProcess.StartAsync(silo.GatewayPort, new Dictionary<string, string> { ["OrleansSync:Gateway:RequestDeadline"] = "00:00:02" });
        await GunPeers.Run("write.js", gateway.Url, "fault/gun", "k", "\"while the silo runs\"");

        await silo.KillAsync();
        await silo.DisposeAsync();
        // 2 s deadline, answered within 4 (the script's clock starts after its sends).
        await GunPeers.Run("down.js", gateway.Url, "4000");
    }

    [Fact]
    public async Task Killed_under_load_every_put_is_answered_within_the_deadline_and_no_acknowledged_write_is_lost()
    {
        using var data = new TempDirectory();
        var configuration = new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = data.Path, ["OrleansSync:MachineId"] = "gun-load" };
        var silo = await SiloProcess.StartAsync(configuration);
        await using var gateway = await GatewayProcess.StartAsync(silo.GatewayPort, new Dictionary<string, string> { ["OrleansSync:Gateway:RequestDeadline"] = "00:00:02" });
        var output = new StringBuilder();
        var steady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var load = GunPeers.Start("under-load.js", line => { if (line == "steady") steady.TrySetResult(); }, output, gateway.Url, "2000");
        try
        {
            await steady.Task.WaitAsync(TimeSpan.FromMinutes(2));
            await silo.KillAsync();
            await load.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            load.WaitForExit();
        }
        finally
        {
            if (!load.HasExited) load.Kill(entireProcessTree: true);
        }
        Assert.True(load.ExitCode == 0, output.ToString());
        var ackedLine = output.ToString().Split('\n').Single(l => l.StartsWith("acked ", StringComparison.Ordinal));
        var acked = JsonSerializer.Deserialize<string[]>(ackedLine["acked ".Length..])!;
        Assert.True(acked.Length >= 200, output.ToString());

        await silo.DisposeAsync();
        await using var restarted = await SiloProcess.StartAsync(new Dictionary<string, string>(configuration)
        {
            ["OrleansSync:SiloPort"] = silo.SiloPort.ToString(CultureInfo.InvariantCulture),
            ["OrleansSync:GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
        });
        await using var client = await OrleansClient.ConnectLocalhostAsync(restarted.GatewayPort);
        var lost = new List<string>();
        foreach (var soul in acked)
        {
            var node = await client.Client.GetGrain<IGunNodeGrain>(soul).Get();
            if (node is null || !node.Fields.TryGetValue("v", out var field) || field.Value != JsonSerializer.Serialize(soul)) lost.Add(soul);
        }
        Assert.Empty(lost);
    }

    [Fact]
    public async Task A_second_silo_on_ports_in_use_exits_naming_the_port()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = first.Path, ["OrleansSync:MachineId"] = "port-owner" });
        SiloProcess? thief = null;
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => thief = await SiloProcess.StartAsync(new Dictionary<string, string>
            {
                ["OrleansSync:DataDirectory"] = second.Path,
                ["OrleansSync:MachineId"] = "port-thief",
                ["OrleansSync:SiloPort"] = silo.SiloPort.ToString(CultureInfo.InvariantCulture),
                ["OrleansSync:GatewayPort"] = silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
            }));
            Assert.Contains("exited with 2", error.Message);
            Assert.Contains($"silo port {silo.SiloPort} on 127.0.0.1 is already in use", error.Message);
        }
        finally
        {
            // Had it started (the fault this guards against), it must not outlive the test.
            if (thief is not null) await thief.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_gateway_on_a_port_in_use_exits_naming_the_port()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        GatewayProcess? second = null;
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => second = await GatewayProcess.StartAsync(FreePort.Next(),
                new Dictionary<string, string> { ["OrleansSync:Gateway:Port"] = port.ToString(CultureInfo.InvariantCulture) }));
            Assert.Contains("exited with 2", error.Message);
            Assert.Contains($"Gun gateway port {port} on 127.0.0.1 is already in use", error.Message);
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
        }
    }
}
