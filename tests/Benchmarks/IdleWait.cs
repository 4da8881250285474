using System.Diagnostics;
using System.Text.RegularExpressions;
using OrleansSync.TestSupport;

namespace OrleansSync.Benchmarks;

/// <summary>
/// Waits for a silo process to go idle after Gun traffic: its Gun node grains deactivate after CollectionAge (set to
/// <c>idle</c>), then the silo gives the memory back by itself (IdleMemoryTrimmer) — a trim that follows the last
/// deactivation, since grains deactivate in waves and the silo may trim after each.
/// </summary>
public static partial class IdleWait
{
    public static async Task<(int ActiveGunNodes, double SiloHeapMb, TimeSpan Waited)> UntilGunNodesAreCollected(SiloProcess silo, TimeSpan idle)
    {
        await using var client = await OrleansClient.ConnectLocalhostAsync(silo.GatewayPort);
        var management = client.Client.GetGrain<IManagementGrain>(0);
        var waited = Stopwatch.StartNew();
        int active;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            active = (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("Gun", StringComparison.OrdinalIgnoreCase)).Sum(s => s.ActivationCount);
        }
        while (active > 0 && waited.Elapsed < idle * 4);
        var trims = Trims(silo.Output);
        while (Trims(silo.Output) == trims && waited.Elapsed < idle * 5)
            await Task.Delay(TimeSpan.FromSeconds(1));
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        var heap = (await management.GetRuntimeStatistics(hosts)).Sum(s => s.EnvironmentStatistics.FilteredMemoryUsageBytes) / 1024.0 / 1024.0;
        return (active, heap, waited.Elapsed);
    }

    private static int Trims(string output) => TrimLine().Count(output);

    [GeneratedRegex("returned free memory")]
    private static partial Regex TrimLine();
}
