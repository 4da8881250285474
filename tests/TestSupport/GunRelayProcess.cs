using System.Diagnostics;

namespace OrleansSync.TestSupport;

/// <summary>
/// gun's own relay (tests/Benchmarks/gun/relay.js, which loads SEA) with the gun package the interop tests install in
/// tests/GunInterop: ready once it prints where it listens, killed on dispose.
/// </summary>
public static class GunRelayProcess
{
    public static Task<ServiceProcess> StartAsync(string repositoryRoot, params string[] arguments)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = Path.GetTempPath() };
        info.ArgumentList.Add(Path.Combine(repositoryRoot, "tests", "Benchmarks", "gun", "relay.js"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["NODE_PATH"] = Path.Combine(repositoryRoot, "tests", "GunInterop", "node_modules");
        return ServiceProcess.StartAsync(info, "relay on", "gun relay", TimeSpan.FromSeconds(30));
    }
}
