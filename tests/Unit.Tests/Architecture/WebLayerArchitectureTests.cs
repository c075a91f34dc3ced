using NetArchTest.Rules;
using OrleansFs.Client.FileSystem;
using OrleansFs.Master;
using OrleansFs.Silo.Web.Data;
using Xunit;

namespace OrleansFs.Tests.Architecture;

/// <summary>
/// The web pages read through the client core (IFileSystem, FileDataClient), the same code the `ofs` tool and
/// applications use, so a page and a client can never disagree about retries, errors or what a call means.
/// </summary>
public class WebLayerArchitectureTests
{
    /// <summary>
    /// Every OrleansFs grain interface (IMasterGrain, IBlockGrain, IWorkerGrain, IPersistGrain, ...) and Orleans'
    /// management grain, which the core's ClusterQueries asks for the pages.
    /// </summary>
    private static readonly string[] GrainInterfaces = typeof(IMasterGrain).Assembly.GetTypes()
        .Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t))
        .Select(t => t.FullName!)
        .Append(typeof(IManagementGrain).FullName!)
        .ToArray();

    [Fact]
    public void A_web_page_type_does_not_call_a_grain_interface()
    {
        var result = Types.InAssembly(typeof(NamespaceReader).Assembly)
            .That().ResideInNamespace("OrleansFs.Silo.Web")
            // The grain call filter that counts file-system calls is silo plumbing, not a page (it leaves Silo/Web
            // for the metrics' own folder).
            .And().DoNotResideInNamespace("OrleansFs.Silo.Web.Metrics")
            .ShouldNot().HaveDependencyOnAny(GrainInterfaces)
            .GetResult();

        Assert.True(result.IsSuccessful, "web types calling grains directly: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_rule_sees_grain_calls_where_there_are_some()
    {
        Assert.Contains("OrleansFs.Master.IMasterGrain", GrainInterfaces);
        Assert.Contains("OrleansFs.Blocks.IBlockGrain", GrainInterfaces);
        Assert.Contains("OrleansFs.Blocks.IWorkerGrain", GrainInterfaces);
        // The client core is where grains are called; the same rule over it must fail.
        var core = Types.InAssembly(typeof(OrleansFileSystem).Assembly)
            .That().ResideInNamespace("OrleansFs.Client")
            .ShouldNot().HaveDependencyOnAny(GrainInterfaces)
            .GetResult();
        Assert.False(core.IsSuccessful);
        Assert.Contains("OrleansFs.Client.FileSystem.OrleansFileSystem", core.FailingTypeNames);
    }
}
