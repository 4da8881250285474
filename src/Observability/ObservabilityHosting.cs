using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IHealthChecksBuilder AddOrleansSyncObservability(this IServiceCollection services, string serviceName)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter("Microsoft.Orleans", ProjectMeters)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return services.AddHealthChecks();
    }

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
