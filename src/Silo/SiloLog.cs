using Microsoft.Extensions.Logging;
using OrleansSync.Silo.Hosting;

namespace OrleansSync.Silo;

internal static partial class SiloLog
{
    // Scripts and tests wait for this line ("OrleansSync silo ready") to know the silo accepts clients.
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "OrleansSync silo ready: machine {Machine}, storage {Storage} ({Location}), silo port {SiloPort}, gateway port {GatewayPort}")]
    public static partial void Ready(ILogger logger, string machine, StorageKind storage, string location, int siloPort, int gatewayPort);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "OrleansSync silo web: health {Url}/health/ready,{Dashboard} metrics {Url}/metrics")]
    public static partial void Web(ILogger logger, string url, string dashboard);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "OrleansSync silo stopped: machine {Machine}; its grains were deactivated and their state stored")]
    public static partial void Stopped(ILogger logger, string machine);
}
