using System.Diagnostics;

namespace OrleansSync.TestSupport;

/// <summary>The Gun gateway run as its own process (as in production), connected to a silo's gateway port.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const string ReadyLine = "OrleansSync Gun gateway ready";

    private readonly ServiceProcess _process;

    private GatewayProcess(ServiceProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.ProcessId;

    public string Url => $"http://127.0.0.1:{Port}/gun";

    /// <summary>The web view, /health/live, /health/ready and /metrics.</summary>
    public Uri WebAddress => new($"http://127.0.0.1:{Port}");

    public string Output => _process.Output;

    public static async Task<GatewayProcess> StartAsync(int siloGatewayPort, IDictionary<string, string>? configuration = null, IDictionary<string, string>? environment = null)
    {
        var port = configuration is not null && configuration.TryGetValue("OrleansSync:Gateway:Port", out var taken)
            ? int.Parse(taken, System.Globalization.CultureInfo.InvariantCulture)
            : FreePort.Next();
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(SiloProcess.BuiltAssembly("GunGateway", "OrleansSync.GunGateway.dll"));
        var all = new Dictionary<string, string>(configuration ?? new Dictionary<string, string>())
        {
            ["OrleansSync:GatewayPort"] = siloGatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrleansSync:Gateway:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in all) info.ArgumentList.Add($"--{key}={value}");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = await ServiceProcess.StartAsync(info, ReadyLine, "gateway", TimeSpan.FromSeconds(90));
        return new GatewayProcess(process, port);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
