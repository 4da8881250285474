using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansSync.Silo;
using OrleansSync.Silo.Hosting;
using OrleansSync.Silo.Schema;

// appsettings.json ships beside the binary; relative paths in settings still resolve against the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var settings = SiloSettings.From(builder.Configuration);

await SchemaInstaller.EnsureAsync(settings);
builder.UseOrleans(silo => silo.UseOrleansSync(settings, builder.Configuration));

using var host = builder.Build();
await host.StartAsync();
var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansSync.Silo");
SiloLog.Ready(log, MachineIdentity.Resolve(settings).Id, settings.Storage, settings.Storage == StorageKind.Sqlite ? settings.SqliteConnectionString : "(configured)",
    settings.SiloPort, settings.GatewayPort);
await host.WaitForShutdownAsync();
