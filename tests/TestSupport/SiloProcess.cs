using System.Diagnostics;
using System.Text;

namespace OrleansSync.TestSupport;

/// <summary>
/// The real silo host (src/Silo) run as a separate process, so a test can kill it the hard way
/// (SIGKILL, no shutdown code runs) and start a new one on the same storage.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const string ReadyLine = "OrleansSync silo ready";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private SiloProcess(Process process, StringBuilder output, int siloPort, int gatewayPort)
    {
        _process = process;
        _output = output;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int ProcessId => _process.Id;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the silo with the given configuration (keys like <c>OrleansSync:DataDirectory</c>) and waits until it is ready.</summary>
    public static async Task<SiloProcess> StartAsync(IDictionary<string, string> configuration, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var siloPort = configuration.TryGetValue("OrleansSync:SiloPort", out var sp) ? int.Parse(sp) : FreePort.Next();
        var gatewayPort = configuration.TryGetValue("OrleansSync:GatewayPort", out var gp) ? int.Parse(gp) : FreePort.Next();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(BuiltAssembly("Silo", "OrleansSync.Silo.dll"));
        var all = new Dictionary<string, string>(configuration)
        {
            ["OrleansSync:SiloPort"] = siloPort.ToString(),
            ["OrleansSync:GatewayPort"] = gatewayPort.ToString(),
        };
        foreach (var (key, value) in all) info.ArgumentList.Add($"--{key}={value}");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The silo exited before it was ready:\n{Snapshot(output)}"));
        Processes.StartCapturing(process, output, line =>
        {
            if (line.Contains(ReadyLine, StringComparison.Ordinal)) ready.TrySetResult();
        });

        var silo = new SiloProcess(process, output, siloPort, gatewayPort);
        try
        {
            await ready.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            await silo.KillAsync();
            throw new TimeoutException($"The silo was not ready in time:\n{silo.Output}");
        }
        return silo;
    }

    /// <summary>SIGKILL: the process gets no chance to flush or deactivate anything.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static string Snapshot(StringBuilder output) { lock (output) return output.ToString(); }

    /// <summary>A project's assembly built in this test assembly's configuration (Debug or Release).</summary>
    internal static string BuiltAssembly(string project, string assembly)
    {
        var here = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = here.Parent?.Name ?? "Debug";   // .../bin/{Configuration}/net10.0
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "OrleansSync.sln"))) continue;
            var path = Path.Combine(dir.FullName, "src", project, "bin", configuration, "net10.0", assembly);
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing.");
        }
        throw new DirectoryNotFoundException("OrleansSync.sln was not found above " + AppContext.BaseDirectory);
    }
}
