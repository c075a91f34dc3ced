using System.Reflection;

namespace OrleansFs.Unit.Tests.Logging;

/// <summary>Product code logs only through [LoggerMessage] methods, never through the LoggerExtensions calls.</summary>
public class LogCallTests
{
    [Fact]
    public void No_product_assembly_calls_the_LoggerExtensions_methods()
    {
        Assert.All(ProductAssemblies.Required, name => Assert.Contains(ProductAssemblies.Paths, p => Path.GetFileName(p) == name));
        var calls = ProductAssemblies.Paths.SelectMany(p => LogCallScanner.FindCalls(p).Select(c => $"{Path.GetFileName(p)}: {c}")).ToList();
        Assert.True(calls.Count == 0, "log through a [LoggerMessage] method instead:\n" + string.Join("\n", calls));
    }

    [Fact]
    public void The_scan_finds_such_calls_in_plain_methods_and_after_an_await()
    {
        var calls = LogCallScanner.FindCalls(Assembly.GetExecutingAssembly().Location)
            .Where(c => c.Contains(nameof(OldStyleLogging), StringComparison.Ordinal))
            .ToList();

        Assert.Contains(calls, c => c.Contains(".Information calls LoggerExtensions.LogInformation", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.Contains("WarningAfterAwaitAsync", StringComparison.Ordinal) && c.EndsWith("calls LoggerExtensions.LogWarning", StringComparison.Ordinal));
    }
}
