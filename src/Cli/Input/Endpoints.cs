using System.Net;

namespace OrleansSync.Cli.Input;

/// <summary>Gateway endpoints as written on the command line: <c>host:port</c>, a name resolved here.</summary>
public static class Endpoints
{
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is <= 0 or > 65535)
            throw new UsageException($"--gateway '{text}' is not HOST:PORT.");
        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address)) return new IPEndPoint(address, port);
        var addresses = Dns.GetHostAddresses(host);
        return addresses.Length > 0 ? new IPEndPoint(addresses[0], port) : throw new UsageException($"--gateway host '{host}' does not resolve.");
    }
}
