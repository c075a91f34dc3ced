using System.Net;
using System.Net.Sockets;

namespace OrleansFs.TestSupport;

/// <summary>Finds TCP ports nobody is listening on, so parallel test runs do not collide.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
