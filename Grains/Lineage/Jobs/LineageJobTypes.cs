using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.Options;
using OrleansFs.Errors;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>
/// Finds in-process job types: by full name (as <see cref="Type.FullName"/> spells it, or assembly-qualified) among
/// the assemblies loaded in the silo, after loading those listed in `Lineage:JobAssemblies` once.
/// </summary>
public sealed class LineageJobTypes(IOptions<LineageOptions> options)
{
    private readonly Lazy<IReadOnlyList<Assembly>> _configured = new(() => Load(options.Value.JobAssemblies));

    /// <summary>The job's type, or <see cref="FsException"/> (InvalidArgument) naming what is wrong.</summary>
    public Type Find(string? typeName)
    {
        if (string.IsNullOrWhiteSpace(typeName)) throw FsException.InvalidArgument(null, "an in-process lineage job needs a type name");
        _ = _configured.Value;
        var type = Type.GetType(typeName, throwOnError: false)
            ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName, throwOnError: false)).FirstOrDefault(t => t is not null)
            ?? throw FsException.InvalidArgument(null,
                $"in-process job type '{typeName}' was not found among the silo's assemblies: give its full name, and list its assembly in Lineage:JobAssemblies");
        if (!typeof(ILineageJob).IsAssignableFrom(type) || type.IsAbstract || type.IsInterface)
            throw FsException.InvalidArgument(null, $"in-process job type '{typeName}' is not a class implementing {nameof(ILineageJob)}");
        return type;
    }

    private static IReadOnlyList<Assembly> Load(IEnumerable<string> paths) =>
        paths.Select(p => AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => !a.IsDynamic && a.Location == p)
            ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(p)).ToList();
}
