using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Gun;

/// <summary>The silo and the gateway as separate processes, as deployed: acknowledged Gun writes survive a killed silo.</summary>
public sealed class GunDurabilityTests
{
    [Fact]
    public async Task Acknowledged_gun_writes_survive_a_killed_silo()
    {
        using var data = new TempDirectory();
        var configuration = new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = data.Path, ["OrleansSync:MachineId"] = "gun-durable" };
        var silo = await SiloProcess.StartAsync(configuration);
        await using var gateway = await GatewayProcess.StartAsync(silo.GatewayPort);
        await GunPeers.Run("write.js", gateway.Url, "durable/gun", "k", "\"before the crash\"");

        await silo.KillAsync();
        await silo.DisposeAsync();
        var ports = new Dictionary<string, string>(configuration)
        {
            ["OrleansSync:SiloPort"] = silo.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrleansSync:GatewayPort"] = silo.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var restarted = await SiloProcess.StartAsync(ports);

        // The gateway process reconnects to the restarted silo by itself (Orleans client reconnection); until it
        // has, a read is answered with an error. Read until the value comes back, within a minute.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string output;
        while (true)
        {
            try
            {
                output = await Processes.RunAsync("node", [Path.Combine(GunPeers.Directory, "read.js"), gateway.Url, "durable/gun", "k"], TimeSpan.FromSeconds(30));
            }
            catch (InvalidOperationException failed) when (!timeout.IsCancellationRequested)
            {
                output = failed.Message; // the read timed out inside the script while the gateway reconnected
                continue;
            }
            if (output.Contains("value \"before the crash\"", StringComparison.Ordinal) || timeout.IsCancellationRequested) break;
        }
        Assert.Contains("value \"before the crash\"", output);
    }
}
