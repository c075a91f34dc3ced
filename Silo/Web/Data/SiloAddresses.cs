using Orleans.Runtime;

namespace OrleansFs.Silo.Web.Data;

/// <summary>Silo addresses as operators read them: host:port of the silo endpoint, as `ofs leader` prints.</summary>
public static class SiloAddresses
{
    public static string Format(SiloAddress address) => $"{address.Endpoint.Address}:{address.Endpoint.Port}";
}
