using System.Text.Json;
using ArchUnitNET.Fluent;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OrleansFs.Tests.Architecture;

/// <summary>The client library and `ofs` ship without the server: no reference to the Grains assembly.</summary>
public sealed class ClientLayerTests
{
    private const string GrainsAssembly = "OrleansFs.Grains";

    [Fact]
    public void Client_library_does_not_reference_the_server() => AssertNoGrains(ShippedAssemblies.Client);

    [Fact]
    public void Ofs_does_not_reference_the_server() => AssertNoGrains(ShippedAssemblies.Cli);

    /// <summary>
    /// The compiler drops a reference nothing uses from the assembly's metadata, but the build still ships it:
    /// ofs.deps.json lists every library that goes out with ofs.
    /// </summary>
    [Fact]
    public void Ofs_does_not_ship_the_server()
    {
        string deps = Path.ChangeExtension(ShippedAssemblies.Cli.Location, ".deps.json");
        using var document = JsonDocument.Parse(File.ReadAllText(deps));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();
        Assert.Contains("OrleansFs.Client", libraries);
        Assert.DoesNotContain(GrainsAssembly, libraries);
    }

    private static void AssertNoGrains(System.Reflection.Assembly subject)
    {
        Assert.DoesNotContain(GrainsAssembly, ShippedAssemblies.ReferencedNames(subject));
        // Namespaces such as OrleansFs.Grains.Journal live in the format assembly too, so the rule is by assembly.
        IArchRule rule = Types().That().ResideInAssembly(subject)
            .Should().NotDependOnAnyTypesThat().ResideInAssembly(ShippedAssemblies.Grains)
            .Because("the client and ofs must not ship the server");
        ShippedAssemblies.AssertHolds(rule, subject);
    }
}
