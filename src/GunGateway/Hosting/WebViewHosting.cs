using OrleansSync.GunGateway.Relay;

namespace OrleansSync.GunGateway.Hosting;

public static class WebViewHosting
{
    /// <summary>
    /// The web view (wwwroot: index.html, app.js, and gun.js from the pinned npm package) at <c>/</c>: a Gun app that
    /// reads the network from <c>sync/</c> through this relay. Also points the subscription gauge at this gateway's tables.
    /// </summary>
    public static WebApplication MapWebView(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        // Read at scrape time: the tables need the Orleans client, which starts with the host.
        var services = app.Services;
        GatewayMetrics.ObserveSubscriptions(() => services.GetRequiredService<SoulSubscriptions>().Count,
            () => services.GetRequiredService<SyncNamespace>().SubscribedCells.Count);
        return app;
    }
}
