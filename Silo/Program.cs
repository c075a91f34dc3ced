using OrleansFs.Silo.Configuration;
using OrleansFs.Silo.Hosting;

// The silo host: `dotnet run --project Silo` starts a complete single-silo OrleansFs with embedded defaults.
try
{
    var app = OrleansFsSiloHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (ConfigurationFailure.OneLine(e) is { } line)
{
    // Every section's validator (and the binder, for a value of the wrong type) names its Section:Key.
    Console.Error.WriteLine($"ofs-silo: configuration: {line}");
    return 2;
}
catch (Exception e)
{
    Console.Error.WriteLine($"ofs-silo: could not run: {e.GetBaseException().Message}");
    return 1;
}
