using System.Net;
using System.Net.Sockets;

namespace OrleansSync.Hosting;

/// <summary>
/// Whether a port is free before a service listens on it. Orleans opens its listeners with address reuse, which on
/// Linux also lets a second process listen on a port already taken (clients then reach either one at random); a
/// plain bind refuses, so a service can say which port is taken and stop instead.
/// </summary>
public static class PortCheck
{
    /// <summary>Null when <paramref name="port"/> can be bound on <paramref name="address"/>; otherwise what is wrong, naming the port.</summary>
    public static string? Problem(IPAddress address, int port, string what)
    {
        if (port == 0) return null;
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return null;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return $"The {what} {port} on {address} is already in use (is another instance running?); choose another port.";
        }
        catch (SocketException error)
        {
            return $"The {what} {port} on {address} cannot be used: {error.Message}";
        }
    }
}
