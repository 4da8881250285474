using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace OrleansSync.Observability;

/// <summary>
/// Health and metrics, the same on the silo and the gateway: <c>/health/live</c> (the process answers),
/// <c>/health/ready</c> (every check tagged <see cref="Ready"/> passes) and <c>/metrics</c> (Prometheus text:
/// Orleans' own meter, the project's meters and the .NET runtime's).
/// </summary>
public static class ObservabilityHosting
{
    /// <summary>The tag of health checks that decide readiness.</summary>
    public const string Ready = "ready";

    /// <summary>Every meter of the project is named <c>OrleansSync.*</c> (see the <c>*Metrics</c> classes).</summary>
    public const string ProjectMeters = "OrleansSync.*";

    /// <summary>Orleans' own meter.</summary>
    private const string OrleansMeter = "Microsoft.Orleans";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Set to true to export Orleans' per-operation and full-scan instruments too (<see cref="PerOperationOrleansInstruments"/>,
    /// <see cref="FullScanOrleansInstruments"/>).
    /// </summary>
    public const string OrleansDetailKey = "OrleansSync:Metrics:OrleansDetail";

    /// <summary>
    /// Orleans instruments recorded on every message, directory lookup and registration: about seventeen measurements
    /// for a Gun put to a new node, which cost about a tenth of such a put's CPU (docs/BENCHMARKS.md). Not exported unless
    /// <see cref="OrleansDetailKey"/> asks; activations, request latency, storage and the rest of Orleans' meter are.
    /// Among them is <c>orleans-messaging-processing-activation-data</c>, a gauge whose every reading walks all
    /// activations of the silo.
    /// </summary>
    public static readonly IReadOnlyList<string> PerOperationOrleansInstruments =
        ["orleans-directory-lookups-", "orleans-directory-registration", "orleans-messaging-processing-", "orleans-messaging-sent-local"];

    /// <summary>
    /// Orleans gauges whose every reading walks a structure as large as the silo's working set: the directory cache's
    /// size is counted entry by entry. Not exported unless <see cref="OrleansDetailKey"/> asks.
    /// </summary>
    public static readonly IReadOnlyList<string> FullScanOrleansInstruments = ["orleans-directory-cache-size"];

    public static IHealthChecksBuilder AddOrleansSyncObservability(this IServiceCollection services, string serviceName, IConfiguration configuration)
    {
        var orleansDetail = configuration.GetValue<bool>(OrleansDetailKey);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(OrleansMeter, ProjectMeters)
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                // Dropped by a view, an instrument is not listened to at all: its measurements cost one check.
                if (!orleansDetail)
                    metrics.AddView(instrument => IsDetail(instrument) ? MetricStreamConfiguration.Drop : null);
            });
        return services.AddHealthChecks();
    }

    /// <summary>
    /// Whether <paramref name="instrument"/> is exported only with <see cref="OrleansDetailKey"/>: one of
    /// <see cref="PerOperationOrleansInstruments"/> or <see cref="FullScanOrleansInstruments"/>.
    /// </summary>
    public static bool IsDetail(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.Meter.Name == OrleansMeter
        && (PerOperationOrleansInstruments.Any(prefix => instrument.Name.StartsWith(prefix, StringComparison.Ordinal))
            || FullScanOrleansInstruments.Contains(instrument.Name));

    public static WebApplication MapOrleansSyncObservability(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = Write });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    // A body that says which check failed and why, not just "Unhealthy".
    private static Task Write(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                milliseconds = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
