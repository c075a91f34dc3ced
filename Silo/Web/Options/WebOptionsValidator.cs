using Microsoft.Extensions.Options;
using OrleansFs.Silo.Configuration;

namespace OrleansFs.Silo.Web.Options;

/// <summary>The web interface needs a TCP port of its own and sensible page limits.</summary>
public sealed class WebOptionsValidator(IOptions<SiloHostOptions> silo) : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        if (!TcpPort.IsValid(options.Port)) return ValidateOptionsResult.Fail(TcpPort.NotAPort("Web:Port", options.Port));
        var taken = new (string Key, int Port)[] { ("Silo:Port", silo.Value.Port), ("Silo:GatewayPort", silo.Value.GatewayPort) };
        if (TcpPort.Clash(taken, ("Web:Port", options.Port)) is { } clash) return ValidateOptionsResult.Fail(clash);
        if (options.PreviewBytes < 0)
            return ValidateOptionsResult.Fail($"Web:PreviewBytes {options.PreviewBytes} must not be negative");
        if (options.MaxListedFiles < 1)
            return ValidateOptionsResult.Fail($"Web:MaxListedFiles {options.MaxListedFiles} must be at least 1");
        if (options.BrowsePageSize is < 1 or > OrleansFs.Files.ListingRequest.MaxLimit)
            return ValidateOptionsResult.Fail($"Web:BrowsePageSize {options.BrowsePageSize} must be 1 to {OrleansFs.Files.ListingRequest.MaxLimit}");
        if (options.GrainCallTimeout <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Web:GrainCallTimeout {options.GrainCallTimeout} must be positive");
        return ValidateOptionsResult.Success;
    }
}
