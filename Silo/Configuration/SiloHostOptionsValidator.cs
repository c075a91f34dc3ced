using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansFs.Silo.Configuration;

/// <summary>This silo's endpoints must be TCP ports of their own and its address an IP address.</summary>
public sealed class SiloHostOptionsValidator : IValidateOptions<SiloHostOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloHostOptions options)
    {
        if (!TcpPort.IsValid(options.Port)) return ValidateOptionsResult.Fail(TcpPort.NotAPort("Silo:Port", options.Port));
        if (!TcpPort.IsValid(options.GatewayPort)) return ValidateOptionsResult.Fail(TcpPort.NotAPort("Silo:GatewayPort", options.GatewayPort));
        if (TcpPort.Clash([("Silo:Port", options.Port)], ("Silo:GatewayPort", options.GatewayPort)) is { } clash)
            return ValidateOptionsResult.Fail(clash);
        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
            return ValidateOptionsResult.Fail($"Silo:AdvertisedAddress '{options.AdvertisedAddress}' is not an IP address");
        if (options.ShutdownTimeout <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Silo:ShutdownTimeout {options.ShutdownTimeout} must be positive");
        return ValidateOptionsResult.Success;
    }
}
