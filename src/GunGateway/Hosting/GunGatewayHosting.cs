using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansSync.GunGateway.Relay;

namespace OrleansSync.GunGateway.Hosting;

public static class GunGatewayHosting
{
    /// <summary>The relay's services. An Orleans client (<see cref="IGrainFactory"/>) must be registered too.</summary>
    public static IServiceCollection AddGunGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AckRoutes>();
        services.AddSingleton<ConnectionLimits>();
        services.AddSingleton<GunNodeReferences>();
        services.AddSingleton<SoulSubscriptions>();
        services.AddSingleton<SyncNamespace>();
        services.AddSingleton<GunRelay>();
        services.AddSingleton<GunConnection>();
        services.AddHostedService<Housekeeping>();
        return services;
    }

    /// <summary>Serves the Gun wire protocol over WebSocket at <c>/gun</c>.</summary>
    public static WebApplication MapGun(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Map("/gun", async (HttpContext context, GunConnection connection, ConnectionLimits limits, IHostApplicationLifetime lifetime) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("This is a Gun relay: connect a Gun peer to this URL (WebSocket).");
                return;
            }
            var (place, refusal) = limits.TryEnter(context.Connection.RemoteIpAddress);
            using (place)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                if (place is null)
                {
                    GatewayMetrics.Refusals.Add(1, new KeyValuePair<string, object?>("reason", "connections"));
                    // Accepted only to say why (a refused handshake would tell a browser nothing), and not waited on.
                    try
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, refusal, lifetime.ApplicationStopping).WaitAsync(TimeSpan.FromSeconds(2));
                    }
                    catch (Exception error) when (error is WebSocketException or TimeoutException or OperationCanceledException)
                    {
                    }
                    return;
                }
                await connection.Run(socket, lifetime.ApplicationStopping, place);
            }
        });
        return app;
    }
}
