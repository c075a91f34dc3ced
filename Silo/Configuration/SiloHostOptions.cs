using System.Net;

namespace OrleansFs.Silo.Configuration;

/// <summary>The `Silo` section: this silo's Orleans endpoints and its shutdown budget.</summary>
public sealed class SiloHostOptions
{
    public const string Section = "Silo";

    public int Port { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>The IP address other silos and clients use to reach this silo; also where the web interface listens.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
    /// <summary>How long a graceful stop may take: the master deactivates and flushes its journal within it.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The parsed <see cref="AdvertisedAddress"/>; <see cref="SiloHostOptionsValidator"/> has refused anything else.</summary>
    public IPAddress AdvertisedIPAddress => IPAddress.Parse(AdvertisedAddress);
}
