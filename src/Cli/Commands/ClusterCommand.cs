using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Spectre.Console;
using Spectre.Console.Cli;
using OrleansSync.Cli.Connection;

namespace OrleansSync.Cli.Commands;

/// <summary>
/// A command that talks to the cluster: connects, runs, disconnects, and turns failures into a one-line message and
/// an exit code (<see cref="ExitCodes"/>) rather than a stack trace.
/// </summary>
public abstract class ClusterCommand<TSettings> : AsyncCommand<TSettings> where TSettings : ConnectionSettings
{
    protected static IAnsiConsole Out => AnsiConsole.Console;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            Validate(settings);
            await using var connection = await ClusterConnection.ConnectAsync(settings, cancellationToken);
            return await RunAsync(connection.Client, settings, cancellationToken);
        }
        catch (UsageException error)
        {
            return Fail(error.Message, ExitCodes.Usage);
        }
        catch (ClusterUnreachableException error)
        {
            return Fail(error.Message, ExitCodes.Unreachable);
        }
        catch (Exception error) when (error is OrleansMessageRejectionException or SiloUnavailableException or ConnectionFailedException)
        {
            // A silo just died: its grains answer again once Orleans has declared it dead and they activate elsewhere.
            var message = error.Message;
            var at = message.IndexOf("Unable to connect to", StringComparison.Ordinal);
            var detail = at < 0 ? "" : " (" + message[at..].Split([',', '\n'])[0].TrimEnd('.') + ")";
            return Fail($"A silo this request needs cannot be reached{detail}; until the cluster has declared it dead (seconds) its grains do not answer. Try again.",
                ExitCodes.Unreachable);
        }
        catch (TimeoutException error)
        {
            return Fail(error.Message, ExitCodes.Timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (Exception error)
        {
            return Fail(error.Message, ExitCodes.Failed);
        }
    }

    /// <summary>Checks what can be checked before connecting; throws <see cref="UsageException"/>.</summary>
    protected virtual void Validate(TSettings settings)
    {
    }

    protected abstract Task<int> RunAsync(IClusterClient client, TSettings settings, CancellationToken cancellationToken);

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("error: " + message);
        return code;
    }
}
