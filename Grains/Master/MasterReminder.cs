using Microsoft.Extensions.Logging;

namespace OrleansFs.Grains.Master;

/// <summary>
/// The reminder that wakes the master. A grain timer dies with its activation; a reminder lives in the
/// reminder table (PostgreSQL for Storage:Kind=PostgreSql), so after the master's silo dies, or the whole
/// cluster restarts, a surviving silo's reminder service calls the master, which activates, recovers from the
/// journal and enforces TTLs and resumes stranded persists without waiting for a client.
/// </summary>
internal static partial class MasterReminder
{
    public const string Name = "ofs-master-wakeup";

    /// <summary>Registers (or renews) the reminder; a failure is logged, the master serves on with its timers.</summary>
    public static async Task RegisterAsync(Grain master, TimeSpan period, ILogger logger)
    {
        try
        {
            await master.RegisterOrUpdateReminder(Name, period, period);
        }
        catch (Exception e)
        {
            LogRegisterFailed(logger, e, e.Message);
        }
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "The master's wake-up reminder could not be registered ({Reason}); its timers still run while it is active")]
    private static partial void LogRegisterFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Master woken by its reminder")]
    public static partial void LogWoken(ILogger logger);
}
