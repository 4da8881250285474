namespace OrleansSync.GunGateway.Hosting;

public static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "OrleansSync Gun gateway ready: Gun peers connect to {Url}")]
    public static partial void Ready(ILogger logger, string url);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "OrleansSync web view at {Url}/ (health {Url}/health/ready, metrics {Url}/metrics)")]
    public static partial void WebView(ILogger logger, string url);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "OrleansSync Gun gateway stopped: connections closed")]
    public static partial void Stopped(ILogger logger);
}
