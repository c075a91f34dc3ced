using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrleansFs.Silo.Web.Static;

/// <summary>
/// The files under Web/Static, embedded in the silo's assembly and served at /static/ (so the interface needs
/// nothing from any other origin, and a silo started from any directory has them). Only the embedded names
/// answer; anything else is 404.
/// </summary>
public static class StaticAssets
{
    public const string Prefix = "/static";
    private const string ResourcePrefix = "OrleansFs.Static/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    };

    private static readonly Lazy<Dictionary<string, byte[]>> Files = new(Load);

    public static void MapOrleansFsStatic(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Prefix + "/{**name}", (string name) =>
            Files.Value.TryGetValue(name, out var content)
                ? Results.Bytes(content, ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"))
                : Results.NotFound());
    }

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(n => n[ResourcePrefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
