using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using OrleansSync.GunGateway.Hosting;

namespace OrleansSync.GunGateway.Relay;

/// <summary>How many connections the gateway holds, in total and per remote address; a connection over either limit is refused.</summary>
public sealed class ConnectionLimits(IOptions<GatewayOptions> options)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;

    /// <summary>A place for a connection from <paramref name="address"/> (give it back by disposing it), or why there is none.</summary>
    public (IDisposable? Place, string? Refusal) TryEnter(IPAddress? address)
    {
        var limits = options.Value;
        var key = address ?? IPAddress.None;
        if (Interlocked.Increment(ref _total) > limits.MaxConnections)
        {
            Interlocked.Decrement(ref _total);
            return (null, $"Too many connections: this relay holds at most {limits.MaxConnections}.");
        }
        if (_perAddress.AddOrUpdate(key, 1, (_, n) => n + 1) > limits.MaxConnectionsPerAddress)
        {
            Leave(key);
            return (null, $"Too many connections from one address: at most {limits.MaxConnectionsPerAddress}.");
        }
        return (new Place(this, key), null);
    }

    private void Leave(IPAddress key)
    {
        Interlocked.Decrement(ref _total);
        // Remove the entry only while it is at zero, so a concurrent enter is never lost.
        if (_perAddress.AddOrUpdate(key, 0, (_, n) => n - 1) == 0) _perAddress.TryRemove(KeyValuePair.Create(key, 0));
    }

    private sealed class Place(ConnectionLimits limits, IPAddress key) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) limits.Leave(key);
        }
    }
}
