using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansSync.Cells;
using OrleansSync.Compaction;

namespace OrleansSync.GunGateway.Hosting;

/// <summary>
/// Operator endpoints: run compaction and watch it, and restore an archived cell. They answer loopback
/// requests only, unless <see cref="GatewayOptions.AllowRemoteAdmin"/> is set.
/// </summary>
public static class AdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication MapAdmin(this WebApplication app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var allowRemote = http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.AllowRemoteAdmin;
            if (!allowRemote && http.Connection.RemoteIpAddress is { } address && !System.Net.IPAddress.IsLoopback(address))
                return Results.Problem("Admin endpoints answer loopback requests only (OrleansSync:Gateway:AllowRemoteAdmin).", statusCode: StatusCodes.Status403Forbidden);
            return await next(context);
        });

        // Starts a compaction (or joins the running one) and streams its progress, one JSON status per line,
        // until it finishes; the last line holds the summary.
        admin.MapPost("/compact", async (HttpContext http, IGrainFactory grains) =>
        {
            CompactionRequest request;
            try
            {
                request = Request(http.Request.Query);
            }
            catch (Exception error) when (error is FormatException or OverflowException or ArgumentException)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsync(error.Message);
                return;
            }
            var compaction = grains.GetGrain<ICompactionGrain>(ICompactionGrain.Key);
            var status = await compaction.Start(request);
            http.Response.ContentType = "application/x-ndjson";
            string? last = null;
            while (true)
            {
                var line = JsonSerializer.Serialize(status, Json);
                if (line != last) await http.Response.WriteAsync(line + "\n", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                last = line;
                if (!status.Running) break;
                await Task.Delay(TimeSpan.FromSeconds(1), http.RequestAborted);
                status = await compaction.GetStatus();
            }
        });

        admin.MapGet("/compact", async (IGrainFactory grains) =>
            Results.Json(await grains.GetGrain<ICompactionGrain>(ICompactionGrain.Key).GetStatus(), Json));

        // Any activation of an archived cell restores it; this one reports what came back.
        admin.MapPost("/cells/{**id}", async (string id, IGrainFactory grains) =>
            Results.Json(await grains.GetGrain<ICellGrain>(id).GetSnapshot(), Json));

        return app;
    }

    private static CompactionRequest Request(IQueryCollection query)
    {
        var defaults = CompactionRequest.Default;
        var request = new CompactionRequest(
            Span(query, "archiveRetention") ?? defaults.ArchiveRetention,
            Span(query, "tombstoneRetention") ?? defaults.TombstoneRetention,
            Span(query, "propagatorRetention") ?? defaults.PropagatorRetention);
        request.Validate();
        return request;
    }

    private static TimeSpan? Span(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var text) && !string.IsNullOrEmpty(text)
            ? TimeSpan.Parse(text!, CultureInfo.InvariantCulture)
            : null;
}
