using System.Diagnostics;

namespace OrleansSync.TestSupport;

/// <summary>
/// The real silo host (src/Silo) run as a separate process, so a test can kill it the hard way
/// (SIGKILL, no shutdown code runs) and start a new one on the same storage.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const string ReadyLine = "OrleansSync silo ready";

    private readonly ServiceProcess _process;

    private SiloProcess(ServiceProcess process, int siloPort, int gatewayPort, int webPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        WebPort = webPort;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>The silo's operator endpoint: /health/live, /health/ready, /metrics, /dashboard.</summary>
    public int WebPort { get; }

    public Uri WebAddress => new($"http://127.0.0.1:{WebPort}");

    public int ProcessId => _process.ProcessId;

    public string Output => _process.Output;

    /// <summary>Starts the silo with the given configuration (keys like <c>OrleansSync:DataDirectory</c>) and waits until it is ready.</summary>
    public static async Task<SiloProcess> StartAsync(IDictionary<string, string> configuration, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var siloPort = configuration.TryGetValue("OrleansSync:SiloPort", out var sp) ? int.Parse(sp) : FreePort.Next();
        var gatewayPort = configuration.TryGetValue("OrleansSync:GatewayPort", out var gp) ? int.Parse(gp) : FreePort.Next();
        var webPort = configuration.TryGetValue("OrleansSync:Web:Port", out var wp) ? int.Parse(wp) : FreePort.Next();
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(BuiltAssembly("Silo", "OrleansSync.Silo.dll"));
        var all = new Dictionary<string, string>(configuration)
        {
            ["OrleansSync:SiloPort"] = siloPort.ToString(),
            ["OrleansSync:GatewayPort"] = gatewayPort.ToString(),
            ["OrleansSync:Web:Port"] = webPort.ToString(),
        };
        foreach (var (key, value) in all) info.ArgumentList.Add($"--{key}={value}");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        var process = await ServiceProcess.StartAsync(info, ReadyLine, "silo", timeout ?? TimeSpan.FromSeconds(90));
        return new SiloProcess(process, siloPort, gatewayPort, webPort);
    }

    /// <summary>SIGKILL: the process gets no chance to flush or deactivate anything.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

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
