using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OrleansFs.TestSupport;

/// <summary>Finds TCP ports nobody is listening on, so parallel test runs do not collide.</summary>
public static class FreePort
{
    // The kernel may hand the same ephemeral port out again as soon as the probe closes it, so one silo
    // could get it for two endpoints (seen in CI: Silo:Port and Web:Port both 40343). Never give a port twice.
    private static readonly ConcurrentDictionary<int, byte> Given = new();

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (Given.TryAdd(port, 0)) return port;
        }
    }
}
