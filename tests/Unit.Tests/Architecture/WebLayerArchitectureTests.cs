using ArchUnitNET.Fluent;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OrleansFs.Tests.Architecture;

/// <summary>
/// The web pages read through the client core (IFileSystem, FileDataClient, ClusterQueries), the same code the
/// `ofs` tool and applications use, so a page and a client can never disagree about retries, errors or what a
/// call means.
/// </summary>
public sealed class WebLayerArchitectureTests
{
    /// <summary>Every OrleansFs grain interface (IMasterGrain, IBlockGrain, IWorkerGrain, ...) and Orleans' management grain.</summary>
    private static readonly string GrainInterfacePattern = "^(" + string.Join("|",
        ShippedAssemblies.GrainsInterfaces.GetTypes()
            .Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .Append(typeof(IManagementGrain).FullName!)
            .Select(System.Text.RegularExpressions.Regex.Escape)) + ")$";

    [Fact]
    public void A_web_page_type_does_not_call_a_grain_interface()
    {
        IArchRule rule = Types().That().ResideInNamespaceMatching(@"^OrleansFs\.Silo\.Web(\..*)?$")
            .Should().NotDependOnAnyTypesThat().HaveFullNameMatching(GrainInterfacePattern)
            .Because("the web interface reads through the client core");
        ShippedAssemblies.AssertHolds(rule, ShippedAssemblies.Silo);
    }

    [Fact]
    public void The_rule_sees_grain_calls_where_there_are_some()
    {
        Assert.Contains("IMasterGrain", GrainInterfacePattern);
        Assert.Contains("IBlockGrain", GrainInterfacePattern);
        Assert.Contains("IWorkerGrain", GrainInterfacePattern);
        // The client core is where grains are called: the same rule over it must fail.
        IArchRule core = Types().That().ResideInNamespaceMatching(@"^OrleansFs\.Client(\..*)?$")
            .Should().NotDependOnAnyTypesThat().HaveFullNameMatching(GrainInterfacePattern);
        var failing = core.Evaluate(ShippedAssemblies.Architecture).Where(r => !r.Passed).Select(r => r.Description).ToList();
        Assert.Contains(failing, d => d.Contains("OrleansFs.Client.FileSystem.OrleansFileSystem"));
    }
}
