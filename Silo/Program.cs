using OrleansFs.Silo.Hosting;

// The silo host: `dotnet run --project Silo` starts a complete single-silo OrleansFs with embedded defaults.
var app = OrleansFsSiloHost.Build(args);
await app.RunAsync();
