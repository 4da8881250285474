using System.Diagnostics;
using System.Text;

namespace OrleansSync.TestSupport;

/// <summary>
/// A long-running process (a silo, a gateway, gun's relay) that is ready once it prints a given line. Its stdout and
/// stderr are kept for failure messages; disposing it kills it (SIGKILL, the whole process tree).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ServiceProcess(Process process, StringBuilder output)
    {
        _process = process;
        _output = output;
    }

    public int ProcessId => _process.Id;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts <paramref name="info"/> and waits for a line containing <paramref name="readyLine"/>; fails with the output if the process exits first or the wait times out.</summary>
    public static async Task<ServiceProcess> StartAsync(ProcessStartInfo info, string readyLine, string name, TimeSpan timeout)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, output);
        process.Exited += (_, _) =>
        {
            // Waits for the rest of its output (the redirected streams), so the failure shows the last lines too.
            process.WaitForExit();
            ready.TrySetException(new InvalidOperationException($"The {name} exited with {process.ExitCode} before it was ready:\n{service.Output}"));
        };
        Processes.StartCapturing(process, output, line =>
        {
            if (line.Contains(readyLine, StringComparison.Ordinal)) ready.TrySetResult();
        });
        try
        {
            await ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await service.DisposeAsync();
            throw new TimeoutException($"The {name} was not ready in time:\n{service.Output}");
        }
        return service;
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
}
