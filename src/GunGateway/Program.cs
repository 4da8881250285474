using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OrleansSync.GunGateway.Hosting;
using OrleansSync.Hosting;
using OrleansSync.Observability;

// The Gun gateway: an ASP.NET Core host that is an Orleans client, a Gun relay at /gun and the web view at /.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
if (PortCheck.Problem(IPAddress.Parse(options.ListenAddress), options.Port, "Gun gateway port") is { } portProblem)
{
    await Console.Error.WriteLineAsync("OrleansSync gateway cannot start: " + portProblem);
    return 2;
}
builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port));
builder.UseOrleansClient(client => ClusterConnection.Configure(client, builder.Configuration));
builder.Services.AddGunGateway(builder.Configuration);
builder.Services.AddOrleansSyncObservability("orleanssync-gateway", builder.Configuration)
    .AddCheck<ClusterHealthCheck>("cluster", tags: [ObservabilityHosting.Ready]);

var app = builder.Build();
app.MapOrleansSyncObservability();
app.MapWebView();
app.MapGun();
app.MapAdmin();
await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
foreach (var address in addresses)
{
    GatewayLog.Ready(app.Logger, $"{address.TrimEnd('/')}/gun");
    GatewayLog.WebView(app.Logger, address.TrimEnd('/'));
}
await app.WaitForShutdownAsync();
GatewayLog.Stopped(app.Logger);
return 0;
