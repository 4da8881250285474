using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using OrleansSync.Observability;

namespace OrleansSync.Silo.Hosting;

/// <summary>
/// Feeds the Orleans Dashboard's silo counters with the Orleans instruments <c>/metrics</c> exports, in place of the
/// dashboard's own feed. That one read every instrument of Orleans' meter every second: it turned on the per-operation
/// instruments <c>/metrics</c> leaves out (<see cref="ObservabilityHosting.PerOperationOrleansInstruments"/>, about
/// seventeen measurements for a Gun put to a new node), and every second it ran the gauges that walk all activations
/// and the whole directory cache (<see cref="ObservabilityHosting.FullScanOrleansInstruments"/>): an idle silo holding
/// 50,000 activations spent 53–62 ms of CPU a second with it, 23–25 with this feed and 17–21 without the dashboard
/// (docs/BENCHMARKS.md). This feed has the same exporter, interval and histogram shape; with
/// <see cref="ObservabilityHosting.OrleansDetailKey"/> set it reads every instrument, as the dashboard's did.
/// </summary>
/// <remarks>
/// The dashboard builds its feed inside its internal <c>DashboardHost</c>, which has no setting for it. That host is
/// still made (it activates the dashboard's grains), but with an Orleans meter of its own, on which nothing is
/// recorded (its feed keeps only that meter's instruments), and an exporter of its own. Both internal types are found
/// by name, and the lookup throws if a dashboard update renames them; <c>ObservabilityTests</c> checks the counters
/// the dashboard shows.
/// </remarks>
public sealed class DashboardCounters(OrleansInstruments instruments, IServiceProvider services, bool orleansDetail)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const int ExportIntervalMilliseconds = 1000;
    private static readonly Type Host = DashboardType("Orleans.Dashboard.DashboardHost");
    private static readonly Type Exporter = DashboardType("Orleans.Dashboard.Implementation.DashboardTelemetryExporter");

    private MeterProvider? _provider;

    /// <summary>Puts this feed in place of the dashboard's own. Call after <c>AddDashboard</c>.</summary>
    public static void Replace(IServiceCollection services, bool orleansDetail)
    {
        var index = -1;
        for (var i = 0; i < services.Count && index < 0; i++)
            if (services[i].ServiceType == Host) index = i;
        if (index < 0) throw new InvalidOperationException("The Orleans Dashboard is not added yet: call AddDashboard before DashboardCounters.Replace.");
        services[index] = new ServiceDescriptor(Host, provider => ActivatorUtilities.CreateInstance(provider, Host,
            new OrleansInstruments(new UnusedMeters()), ActivatorUtilities.CreateInstance(provider, Exporter)), ServiceLifetime.Singleton);
        services.AddSingleton(provider => new DashboardCounters(provider.GetRequiredService<OrleansInstruments>(), provider, orleansDetail));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<DashboardCounters>());
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        // The stage the dashboard's own feed starts at.
        lifecycle.Subscribe(nameof(DashboardCounters), ServiceLifecycleStage.Active - 1, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        var exporter = (BaseExporter<Metric>)services.GetRequiredService(Exporter);
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(instruments.Meter.Name)
            .AddView(Select)
            .AddReader(new PeriodicExportingMetricReader(exporter, ExportIntervalMilliseconds, ExportIntervalMilliseconds))
            .Build();
        return Task.CompletedTask;
    }

    private MetricStreamConfiguration? Select(Instrument instrument)
    {
        // This silo's meter only (a process may host more than one silo), as the dashboard's feed does.
        if (instrument.Meter != instruments.Meter) return MetricStreamConfiguration.Drop;
        if (!orleansDetail && ObservabilityHosting.IsDetail(instrument)) return MetricStreamConfiguration.Drop;
        // The dashboard shows one number per instrument: a histogram's count and sum, without buckets or tags.
        var type = instrument.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Histogram<>)
            ? new ExplicitBucketHistogramConfiguration { TagKeys = [], Boundaries = [], RecordMinMax = false }
            : null;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _provider = null;
    }

    // Throws TypeLoadException naming the type if a dashboard update renamed it.
    private static Type DashboardType(string name) => typeof(DashboardOptions).Assembly.GetType(name, throwOnError: true)!;

    /// <summary>Meters for the dashboard's own feed, which nothing records on.</summary>
    private sealed class UnusedMeters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
