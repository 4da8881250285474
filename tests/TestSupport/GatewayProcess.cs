using System.Diagnostics;
using System.Text;

namespace OrleansSync.TestSupport;

/// <summary>The Gun gateway run as its own process (as in production), connected to a silo's gateway port.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const string ReadyLine = "OrleansSync Gun gateway ready";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private GatewayProcess(Process process, StringBuilder output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public string Url => $"http://127.0.0.1:{Port}/gun";

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<GatewayProcess> StartAsync(int siloGatewayPort, IDictionary<string, string>? configuration = null, IDictionary<string, string>? environment = null)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(SiloProcess.BuiltAssembly("GunGateway", "OrleansSync.GunGateway.dll"));
        var all = new Dictionary<string, string>(configuration ?? new Dictionary<string, string>())
        {
            ["OrleansSync:GatewayPort"] = siloGatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrleansSync:Gateway:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in all) info.ArgumentList.Add($"--{key}={value}");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The gateway exited before it was ready:\n" + Snapshot(output)));
        Processes.StartCapturing(process, output, line =>
        {
            if (line.Contains(ReadyLine, StringComparison.Ordinal)) ready.TrySetResult();
        });
        var gateway = new GatewayProcess(process, output, port);
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            await gateway.DisposeAsync();
            throw new TimeoutException("The gateway was not ready in time:\n" + gateway.Output);
        }
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static string Snapshot(StringBuilder output) { lock (output) return output.ToString(); }
}
