namespace OrleansFs.Tests.Architecture;

/// <summary>OrleansFs.Security serves the silo, the client and tools alike: it must not depend on Orleans or on the rest of OrleansFs.</summary>
public sealed class SecurityAssemblyTests
{
    [Fact]
    public void Security_references_no_Orleans_or_other_OrleansFs_assembly()
    {
        var references = ShippedAssemblies.ReferencedNames(typeof(OrleansFs.Security.CertificateSource).Assembly);

        Assert.Contains("System.Net.Security", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Orleans", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || name.StartsWith("OrleansFs.", StringComparison.Ordinal));
    }
}
