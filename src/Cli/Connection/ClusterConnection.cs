using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Cli.Input;

namespace OrleansSync.Cli.Connection;

/// <summary>An Orleans client of the cluster, connected as any backend service is (<see cref="OrleansSyncHostBuilderExtensions.UseOrleansSyncClient"/>).</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <exception cref="ClusterUnreachableException">No gateway answered within the connect timeout.</exception>
    public static async Task<ClusterConnection> ConnectAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var timeout = Durations.Parse(settings.ConnectTimeout ?? "15s", "--connect-timeout");
        // No appsettings.json from whatever directory the tool runs in: only the environment and the options.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.ClearProviders();
        if (settings.Verbose) builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        var target = "";
        IReadOnlyList<IPEndPoint> probe = [];
        builder.UseOrleansSyncClient(options =>
        {
            if (settings.ServiceId is { } serviceId) options.ServiceId = serviceId;
            if (settings.ClusterId is { } clusterId) options.ClusterId = clusterId;
            if (settings.Postgres is { } postgres) options.PostgresConnectionString = postgres;
            if (settings.GatewayPort is { } port) options.GatewayPort = port;
            foreach (var gateway in settings.Gateways) options.Gateways.Add(Endpoints.Parse(gateway));
            if (options.Gateways.Count > 0 && settings.Postgres is null) options.PostgresConnectionString = null;
            target = options.PostgresConnectionString is not null ? "the PostgreSQL membership table"
                : options.Gateways.Count > 0 ? string.Join(", ", options.Gateways)
                : $"127.0.0.1:{options.GatewayPort}";
            target += $" (service '{options.ServiceId}', cluster '{options.ClusterId}')";
            probe = options.PostgresConnectionString is not null ? []
                : options.Gateways.Count > 0 ? [.. options.Gateways]
                : [new IPEndPoint(IPAddress.Loopback, options.GatewayPort)];
        });
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await Probe(probe, deadline.Token);
            await host.StartAsync(deadline.Token);
            return new ClusterConnection(host);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var why = deadline.IsCancellationRequested || error is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : Describe(error);
            throw new ClusterUnreachableException($"Cannot reach the cluster at {target}: {why}.", error);
        }
    }

    /// <summary>
    /// The Orleans client keeps retrying a gateway that refuses connections until the timeout; a refused TCP connect
    /// to every known gateway says at once that no silo listens there.
    /// </summary>
    private static async Task Probe(IReadOnlyList<IPEndPoint> gateways, CancellationToken cancellationToken)
    {
        if (gateways.Count == 0) return;
        SocketException? refused = null;
        foreach (var gateway in gateways)
        {
            using var socket = new Socket(gateway.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(gateway, cancellationToken);
                return;
            }
            catch (SocketException error)
            {
                refused = error;
            }
        }
        throw new IOException($"no silo listens at {string.Join(", ", gateways)} ({refused!.Message})", refused);
    }

    private static string Describe(Exception error) =>
        error switch
        {
            SocketException socket => socket.Message,
            IOException io => io.Message,
            _ when error.InnerException is { } inner && error is not SiloUnavailableException => Describe(inner),
            _ => error.Message.TrimEnd('.'),
        };

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _host.StopAsync(stop.Token);
        }
        catch (Exception)
        {
            // Leaving anyway: a cluster that went away meanwhile must not turn a done command into a failure.
        }
        _host.Dispose();
    }
}

/// <summary>The cluster could not be reached; exit code <see cref="ExitCodes.Unreachable"/>.</summary>
public sealed class ClusterUnreachableException(string message, Exception inner) : Exception(message, inner);
