using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Hosting;
using OrleansSync.Silo;
using OrleansSync.Silo.Hosting;
using OrleansSync.Silo.Schema;

// appsettings.json ships beside the binary; relative paths in settings still resolve against the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = SiloSettings.From(builder.Configuration);

// A port already taken stops the start here: Orleans itself would listen beside the other process.
var listenAddress = settings.Storage == StorageKind.Postgres ? settings.AdvertisedAddress : System.Net.IPAddress.Loopback;
if ((PortCheck.Problem(listenAddress, settings.SiloPort, "silo port") ?? PortCheck.Problem(listenAddress, settings.GatewayPort, "gateway port")) is { } portProblem)
{
    await Console.Error.WriteLineAsync("OrleansSync silo cannot start: " + portProblem);
    return 2;
}

await SchemaInstaller.EnsureAsync(settings);
builder.UseOrleans(silo => silo.UseOrleansSync(settings, builder.Configuration));

using var host = builder.Build();
await host.StartAsync();
var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansSync.Silo");
SiloLog.Ready(log, MachineIdentity.Resolve(settings).Id, settings.Storage, settings.Storage == StorageKind.Sqlite ? settings.SqliteConnectionString : "(configured)",
    settings.SiloPort, settings.GatewayPort);
await host.WaitForShutdownAsync();
return 0;
