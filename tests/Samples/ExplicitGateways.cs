using System.Net;
using Microsoft.Extensions.Hosting;

namespace OrleansSync.Samples;

/// <summary>The README's alternative connection: silos on other hosts, without PostgreSQL, named by their gateways.</summary>
public static class ExplicitGateways
{
    public static void Connect(HostApplicationBuilder builder)
    {
        builder.UseOrleansSyncClient(options => options.Gateways.Add(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 30000)));
    }
}
