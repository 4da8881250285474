using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace OrleansSync.TestSupport;

/// <summary>What a CLI run printed and how it ended.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>The built CLI (src/Cli, <c>orleanssync</c>) run as an operator runs it: a process of its own.</summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _error = new();

    private CliProcess(Process process) => _process = process;

    /// <summary>Runs a command to its end; its exit code is returned, not checked.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        await using var cli = Start(arguments);
        var output = new StringBuilder();
        using var expired = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in cli._lines.Reader.ReadAllAsync(expired.Token)) output.AppendLine(line);
            await cli._process.WaitForExitAsync(expired.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"orleanssync {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}\n{cli.Error}");
        }
        return new CliResult(cli._process.ExitCode, output.ToString(), cli.Error);
    }

    /// <summary>Starts a command that runs on (a watch); read its lines with <see cref="NextLineAsync"/>.</summary>
    public static Task<CliProcess> StartAsync(IEnumerable<string> arguments) => Task.FromResult(Start(arguments));

    public string Error { get { lock (_error) return _error.ToString(); } }

    public async Task<string> NextLineAsync(TimeSpan timeout)
    {
        using var expired = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(expired.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"The CLI printed no further line within {timeout}{(_process.HasExited ? $" (it exited with {_process.ExitCode})" : "")}:\n{Error}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var expired = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(expired.Token);
        return _process.ExitCode;
    }

    private static CliProcess Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(SiloProcess.BuiltAssembly("Cli", "OrleansSync.Cli.dll"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var cli = new CliProcess(new Process { StartInfo = info });
        cli._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) cli._lines.Writer.TryComplete();
            else cli._lines.Writer.TryWrite(e.Data);
        };
        cli._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._error) cli._error.AppendLine(e.Data); };
        cli._process.Start();
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
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
}
