using Microsoft.Extensions.Logging;

namespace OrleansFs.Unit.Tests.Logging;

/// <summary>Logs the way product code must not: the scanner has to find these calls in this test assembly.</summary>
public static class OldStyleLogging
{
    public static void Information(ILogger logger) => logger.LogInformation("Took journal epoch {Epoch}", 1);

    public static async Task WarningAfterAwaitAsync(ILogger logger)
    {
        await Task.Yield();
        logger.LogWarning("Could not hand the master off before stopping: {Reason}", "no silo");
    }
}
