using Microsoft.Extensions.Options;
using OrleansFs.Silo.Configuration;
using OrleansFs.Silo.Hosting;

// The silo host: `dotnet run --project Silo` starts a complete single-silo OrleansFs with embedded defaults.
WebApplication app;
try
{
    app = OrleansFsSiloHost.Build(args);
}
catch (SiloConfigurationException e)
{
    Console.Error.WriteLine($"ofs-silo: configuration: {e.Message}");
    return 2;
}

try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    // Settings checked by the components themselves (Journal, Master) at startup.
    Console.Error.WriteLine($"ofs-silo: configuration: {string.Join("; ", e.Failures)}");
    return 2;
}
catch (Exception e)
{
    Console.Error.WriteLine($"ofs-silo: could not run: {e.GetBaseException().Message}");
    return 1;
}
