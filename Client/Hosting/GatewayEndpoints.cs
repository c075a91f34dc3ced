using System.Net;
using System.Net.Sockets;

namespace OrleansFs.Client.Hosting;

/// <summary>Turns `host:port` strings into the IP endpoints Orleans' static gateway list needs.</summary>
public static class GatewayEndpoints
{
    public static IPEndPoint[] Resolve(IEnumerable<string> gateways) => gateways.Select(Resolve).ToArray();

    public static IPEndPoint Resolve(string gateway)
    {
        if (IPEndPoint.TryParse(gateway, out var endpoint) && endpoint.Port != 0 && gateway.Contains(':'))
            return endpoint;
        int colon = gateway.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(gateway.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"gateway '{gateway}' is not host:port");
        string host = gateway[..colon];
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new ArgumentException($"gateway '{gateway}': cannot resolve {host}: {e.Message}");
        }
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                      ?? throw new ArgumentException($"gateway '{gateway}': {host} has no address");
        return new IPEndPoint(address, port);
    }
}
