using System.Globalization;
using OrleansSync.TestSupport;

namespace OrleansSync.Benchmarks;

/// <summary>The Node scripts of tests/Benchmarks/gun, run with the gun package the interop tests install.</summary>
public static class GunScripts
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrleansSync.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("OrleansSync.sln not found");
    }

    public static string Directory(string root) => Path.Combine(root, "tests", "Benchmarks", "gun");

    public static Dictionary<string, string> Environment(string root)
    {
        var modules = Path.Combine(root, "tests", "GunInterop", "node_modules");
        if (!System.IO.Directory.Exists(Path.Combine(modules, "gun"))) throw new InvalidOperationException("Run `npm ci --prefix tests/GunInterop` first.");
        return new Dictionary<string, string> { ["NODE_PATH"] = modules };
    }

    /// <summary>One phase of growth.js against a relay; returns its output line.</summary>
    public static async Task<string> Growth(Dictionary<string, string> env, string root, string url, string phase, int count, int souls) =>
        (await Processes.RunAsync("node",
            [Path.Combine(Directory(root), "growth.js"), phase, count.ToString(CultureInfo.InvariantCulture), souls.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromHours(1), new Dictionary<string, string>(env) { ["RELAY_URL"] = url })).Trim();
}
