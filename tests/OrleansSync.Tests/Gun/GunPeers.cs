using Xunit;
using System.Diagnostics;
using System.Text;
using OrleansSync.TestSupport;

namespace OrleansSync.Tests.Gun;

/// <summary>
/// Runs the scenarios in tests/GunInterop with Node: real Gun.js peers (npm gun@0.2020.1241, browser-equivalent
/// <c>gun/gun</c> + ws). scripts/test.sh installs the package; a missing install is a clear failure, not a skip.
/// </summary>
public static class GunPeers
{
    public static string Directory { get; } = Find();

    /// <summary>Runs a scenario to completion; it prints "ok" or throws with the script's output.</summary>
    public static async Task<string> Run(string script, params string[] arguments)
    {
        var output = await Processes.RunAsync("node", [Path.Combine(Directory, script), .. arguments], TimeSpan.FromMinutes(2));
        Assert.Contains("ok", output.Split('\n').Select(l => l.Trim()));
        return output;
    }

    /// <summary>A long-running peer; <paramref name="onLine"/> sees each line it prints.</summary>
    public static Process Start(string script, Action<string> onLine, StringBuilder output, params string[] arguments)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Directory, script));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        Processes.StartCapturing(process, output, onLine);
        return process;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "GunInterop");
            if (!System.IO.Directory.Exists(candidate)) continue;
            if (!System.IO.Directory.Exists(Path.Combine(candidate, "node_modules", "gun")))
                throw new InvalidOperationException($"gun is not installed in {candidate}: run `npm ci --prefix tests/GunInterop` (scripts/test.sh does).");
            return candidate;
        }
        throw new InvalidOperationException("tests/GunInterop not found above " + AppContext.BaseDirectory);
    }
}
