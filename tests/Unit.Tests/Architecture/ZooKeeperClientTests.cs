using ArchUnitNET.Fluent;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OrleansFs.Tests.Architecture;

/// <summary>OrleansFs.ZooKeeper is a ZooKeeper client for any .NET program: it must not depend on Orleans.</summary>
public sealed class ZooKeeperClientTests
{
    [Fact]
    public void ZooKeeper_client_references_no_Orleans_assembly() =>
        Assert.DoesNotContain(ShippedAssemblies.ReferencedNames(ShippedAssemblies.ZooKeeper),
            name => name.StartsWith("Orleans", StringComparison.Ordinal) || name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
                    || name.StartsWith("OrleansFs.", StringComparison.Ordinal));

    [Fact]
    public void ZooKeeper_client_uses_no_Orleans_type()
    {
        var subject = ShippedAssemblies.ZooKeeper;
        IArchRule rule = Types().That().ResideInAssembly(subject)
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^Orleans(\..*)?$")
            .AndShould().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"^OrleansFs\.(?!ZooKeeper(\.|$))")
            .Because("the wire client is packed and used without Orleans");
        ShippedAssemblies.AssertHolds(rule, subject);
    }
}
