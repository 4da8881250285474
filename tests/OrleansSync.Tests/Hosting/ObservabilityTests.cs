using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansSync.Observability;
using OrleansSync.TestSupport;
using Xunit;

namespace OrleansSync.Tests.Hosting;

/// <summary>Health, metrics and the dashboard of the silo and the gateway as deployed processes.</summary>
public sealed class ObservabilityTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Silo_and_gateway_report_live_and_ready_serve_metrics_and_the_dashboard()
    {
        using var data = new TempDirectory();
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = data.Path, ["OrleansSync:MachineId"] = "observed" });
        await using var gateway = await GatewayProcess.StartAsync(silo.GatewayPort);

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(silo.WebAddress, "/health/live"))).StatusCode);
        var ready = await Http.GetAsync(new Uri(silo.WebAddress, "/health/ready"));
        var readyBody = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, readyBody);
        Assert.Contains("\"storage\"", readyBody, StringComparison.Ordinal);
        Assert.Contains("\"cluster\"", readyBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(silo.WebAddress, "/dashboard/"))).StatusCode);

        // Puts through the gateway: Gun puts on one side; a merge into a cell and group commits on the other.
        await Gun.GunPeers.Run("write.js", gateway.Url, "observed/soul", "k", "\"v\"");
        await Gun.GunPeers.Run("write.js", gateway.Url, "sync/cells/observed/content", "test", System.Text.Json.JsonSerializer.Serialize("{\"t\":\"number\",\"v\":1}"));
        var siloMetrics = await Http.GetStringAsync(new Uri(silo.WebAddress, "/metrics"));
        Assert.Contains("orleans_catalog_activation_created_total", siloMetrics, StringComparison.Ordinal);
        // Orleans' per-message and per-lookup instruments are not exported by default (OrleansSync:Metrics:OrleansDetail).
        Assert.DoesNotContain("orleans_directory_lookups", siloMetrics, StringComparison.Ordinal);
        Assert.Contains("orleanssync_sqlite_group_commit_batch_size_count", siloMetrics, StringComparison.Ordinal);
        Assert.Contains("orleanssync_cell_merges_total", siloMetrics, StringComparison.Ordinal);
        var gatewayMetrics = await Http.GetStringAsync(new Uri(gateway.WebAddress, "/metrics"));
        Assert.Contains("orleanssync_gun_acks_total", gatewayMetrics, StringComparison.Ordinal);
        Assert.Contains("orleanssync_gun_messages_total{otel_scope_name=\"OrleansSync.Gateway\",kind=\"put\"}", gatewayMetrics, StringComparison.Ordinal);
        Assert.Contains("orleanssync_gun_subscriptions", gatewayMetrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(gateway.WebAddress, "/health/ready"))).StatusCode);

        // A start says what it is and nothing misleading (Orleans' watchdog compared its first check with the boot time).
        Assert.DoesNotContain("warn:", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warn:", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gateway_is_not_ready_while_its_cluster_is_down_and_ready_again_when_it_is_back()
    {
        using var data = new TempDirectory();
        var configuration = new Dictionary<string, string> { ["OrleansSync:DataDirectory"] = data.Path, ["OrleansSync:MachineId"] = "comes-back" };
        var silo = await SiloProcess.StartAsync(configuration);
        await using var gateway = await GatewayProcess.StartAsync(silo.GatewayPort, new Dictionary<string, string> { ["OrleansSync:Gateway:RequestDeadline"] = "00:00:02" });
        var ready = new Uri(gateway.WebAddress, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(ready)).StatusCode);

        await silo.KillAsync();
        await silo.DisposeAsync();
        var down = await Http.GetAsync(ready);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("cluster", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Live is about the process, not the cluster.
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(gateway.WebAddress, "/health/live"))).StatusCode);

        await using var back = await SiloProcess.StartAsync(new Dictionary<string, string>(configuration)
        {
            ["OrleansSync:SiloPort"] = silo.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrleansSync:GatewayPort"] = silo.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await Conditions.WaitUntilAsync(async () => (await Http.GetAsync(ready)).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60),
            "the gateway to be ready again once the silo is back");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_dashboard_shows_the_Orleans_counters_metrics_exports(bool detail)
    {
        using var data = new TempDirectory();
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["OrleansSync:DataDirectory"] = data.Path,
            ["OrleansSync:MachineId"] = "dashboard",
            [ObservabilityHosting.OrleansDetailKey] = detail.ToString(),
        });
        var names = new List<string>();
        // The dashboard lists the silo, then shows its counters from its first export, a second after the silo starts.
        await Conditions.WaitUntilAsync(async () =>
        {
            using var cluster = System.Text.Json.JsonDocument.Parse(await Http.GetStringAsync(new Uri(silo.WebAddress, "/dashboard/DashboardCounters")));
            if (cluster.RootElement.GetProperty("hosts").EnumerateArray().FirstOrDefault() is not { ValueKind: System.Text.Json.JsonValueKind.Object } host) return false;
            var counters = new Uri(silo.WebAddress, "/dashboard/SiloCounters/" + host.GetProperty("siloAddress").GetString());
            using var shown = System.Text.Json.JsonDocument.Parse(await Http.GetStringAsync(counters));
            names = shown.RootElement.EnumerateArray().Select(counter => counter.GetProperty("name").GetString()!).ToList();
            return names.Contains("orleans-catalog-activations");
        }, TimeSpan.FromSeconds(30), "the dashboard to show the silo's counters");

        // Without detail, neither the per-operation instruments nor the gauges that walk every activation or directory
        // cache entry at each reading, every second.
        Assert.Equal(detail, names.Contains("orleans-messaging-processing-activation-data"));
        Assert.Equal(detail, names.Contains("orleans-directory-cache-size"));
        Assert.Equal(detail, names.Any(name => name.StartsWith("orleans-directory-lookups-", StringComparison.Ordinal)));
        Assert.Contains("orleans-catalog-activation-created", names);
        Assert.DoesNotContain("warn:", silo.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Orleans_per_operation_and_full_scan_instruments_are_listened_to_only_when_asked_for(bool detail)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ObservabilityHosting.OrleansDetailKey] = detail.ToString() })
            .Build();
        var services = new ServiceCollection();
        services.AddOrleansSyncObservability("test", configuration);
        using var provider = services.BuildServiceProvider();
        using var meterProvider = provider.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>();

        using var orleans = new Meter("Microsoft.Orleans");
        var lookups = orleans.CreateCounter<long>("orleans-directory-lookups-local-issued");
        var sent = orleans.CreateCounter<long>("orleans-messaging-sent-local");
        var activations = orleans.CreateCounter<long>("orleans-catalog-activation-created");
        var cacheSize = orleans.CreateObservableGauge("orleans-directory-cache-size", () => 0);
        // A dropped instrument is not listened to: recording it costs one check of Enabled, a gauge is not read.
        Assert.Equal(detail, lookups.Enabled);
        Assert.Equal(detail, sent.Enabled);
        Assert.Equal(detail, cacheSize.Enabled);
        Assert.True(activations.Enabled);
    }
}
