using System.Reflection;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchModel = ArchUnitNET.Domain.Architecture;

namespace OrleansFs.Tests.Architecture;

/// <summary>
/// The OrleansFs assemblies as built, loaded once for every architecture rule. Each rule group has its own
/// test class in this folder; a new group adds its assemblies here.
/// </summary>
internal static class ShippedAssemblies
{
    public static Assembly Client { get; } = typeof(OrleansFs.Client.OrleansFsClient).Assembly;
    public static Assembly Cli { get; } = Assembly.Load("ofs");
    public static Assembly Grains { get; } = typeof(OrleansFs.Grains.Master.MasterGrain).Assembly;
    public static Assembly GrainsInterfaces { get; } = typeof(OrleansFs.Master.IMasterGrain).Assembly;
    public static Assembly Format { get; } = typeof(OrleansFs.Paths.FsPath).Assembly;
    public static Assembly ZooKeeper { get; } = typeof(OrleansFs.ZooKeeper.ZooKeeperClient).Assembly;
    public static Assembly Silo { get; } = typeof(OrleansFs.Silo.Web.Data.NamespaceReader).Assembly;

    private static readonly Lazy<ArchModel> Model = new(() =>
        new ArchLoader().LoadAssemblies(Client, Cli, Grains, GrainsInterfaces, Format, ZooKeeper, Silo).Build());

    public static ArchModel Architecture => Model.Value;

    /// <summary>The names of the assemblies <paramref name="assembly"/> was compiled against (its metadata references).</summary>
    public static IReadOnlyList<string> ReferencedNames(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Fails with every violating dependency when the rule does not hold. A rule over an assembly with no types
    /// would hold trivially, so the assembly must contribute types to the loaded architecture.
    /// </summary>
    public static void AssertHolds(IArchRule rule, Assembly subject)
    {
        Assert.Contains(Architecture.Types, t => t.Assembly.FullName == subject.FullName);
        var violations = rule.Evaluate(Architecture).Where(r => !r.Passed).Select(r => r.Description).ToList();
        Assert.True(violations.Count == 0, $"{rule.Description}\n  {string.Join("\n  ", violations)}");
    }
}
