using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;
using OrleansSync.GunGateway.Hosting;
using OrleansSync.Hosting;
using OrleansSync.Observability;
using OrleansSync.Silo;
using OrleansSync.Silo.Hosting;
using OrleansSync.Silo.Schema;

// appsettings.json ships beside the binary; relative paths in settings still resolve against the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = SiloSettings.From(builder.Configuration);
var web = builder.Configuration.GetSection(SiloWebOptions.Section).Get<SiloWebOptions>() ?? new SiloWebOptions();
// The single-machine default (run.sh): the Gun relay and web view in this process, so a put reaches its grain without
// a serialization and socket hop. A separate gateway process (src/GunGateway) stays the way to scale out.
var relay = builder.Configuration.GetValue<bool>(GatewayOptions.InSiloKey)
    ? builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions()
    : null;
var relayAddress = relay is null ? null : IPAddress.Parse(relay.ListenAddress);

// A port already taken stops the start here: Orleans itself would listen beside the other process.
var listenAddress = settings.Storage == StorageKind.Postgres ? settings.AdvertisedAddress : IPAddress.Loopback;
var webAddress = IPAddress.Parse(web.ListenAddress);
if ((PortCheck.Problem(listenAddress, settings.SiloPort, "silo port")
     ?? PortCheck.Problem(listenAddress, settings.GatewayPort, "gateway port")
     ?? PortCheck.Problem(webAddress, web.Port, "web port (health, metrics, dashboard; OrleansSync:Web:Port)")
     ?? (relay is null ? null : PortCheck.Problem(relayAddress!, relay.Port, "Gun gateway port (OrleansSync:Gateway:Port)"))) is { } portProblem)
{
    await Console.Error.WriteLineAsync("OrleansSync silo cannot start: " + portProblem);
    return 2;
}

await SchemaInstaller.EnsureAsync(settings);
builder.WebHost.UseKestrel(kestrel =>
{
    kestrel.Listen(webAddress, web.Port);
    if (relay is not null) kestrel.Listen(relayAddress!, relay.Port);
});
builder.UseOrleans(silo =>
{
    silo.UseOrleansSync(settings, builder.Configuration);
    if (!web.Dashboard) return;
    silo.AddDashboard();
    DashboardCounters.Replace(silo.Services, builder.Configuration.GetValue<bool>(ObservabilityHosting.OrleansDetailKey));
});
builder.Services.AddSingleton(settings);
builder.Services.AddOrleansSyncObservability("orleanssync-silo", builder.Configuration)
    .AddCheck<StorageHealthCheck>("storage", tags: [ObservabilityHosting.Ready])
    .AddCheck<MembershipHealthCheck>("cluster", tags: [ObservabilityHosting.Ready]);
if (relay is not null) builder.Services.AddGunGateway(builder.Configuration);
// Only where every Gun node is placed: there, and only there, this process sees every activation that could hold a node it creates.
if (relay is { CreateNodesWithoutActivation: true } && settings.HoldsEveryGunNode)
    builder.Services.AddSingleton<OrleansSync.Gun.IGunNodeCreator, OrleansSync.Grains.Gun.GunNodeCreator>();

await using var app = builder.Build();
app.MapOrleansSyncObservability();
if (web.Dashboard) app.MapOrleansDashboard("/dashboard");
if (relay is not null)
{
    app.MapWebView();
    app.MapGun();
    app.MapAdmin();
}
await app.StartAsync();
var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansSync.Silo");
SiloLog.Ready(log, MachineIdentity.Resolve(settings).Id, settings.Storage, settings.Storage == StorageKind.Sqlite ? settings.SqliteConnectionString : "(configured)",
    settings.SiloPort, settings.GatewayPort);
SiloLog.Web(log, $"http://{web.ListenAddress}:{web.Port}", web.Dashboard ? $" dashboard http://{web.ListenAddress}:{web.Port}/dashboard," : "");
if (relay is not null)
{
    // The same lines as the gateway process: scripts and people wait for them.
    GatewayLog.Ready(log, $"http://{relay.ListenAddress}:{relay.Port}/gun");
    GatewayLog.WebView(log, $"http://{relay.ListenAddress}:{relay.Port}");
}
await app.WaitForShutdownAsync();
SiloLog.Stopped(log, MachineIdentity.Resolve(settings).Id);
return 0;
