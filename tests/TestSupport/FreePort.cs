using System.Net;
using System.Net.Sockets;

namespace OrleansSync.TestSupport;

public static class FreePort
{
    // Below the kernel's ephemeral range (32768-60999 here): a port the OS hands out for listening on port 0 may next be
    // given to some outgoing connection as its local port before the silo that was meant to use it binds it. Below
    // run.sh's gateway ports (30000, 30001) too.
    private const int First = 20_000;
    private const int Last = 29_999;
    private static int _next = First + (Environment.ProcessId * 97 % 4_000);

    /// <summary>A loopback port nobody listens on right now, never the same twice in this process.</summary>
    public static int Next()
    {
        for (var tries = 0; tries < Last - First; tries++)
        {
            var port = First + ((Interlocked.Increment(ref _next) - First) % (Last - First));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }
        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }
}
