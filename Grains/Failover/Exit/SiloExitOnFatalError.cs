using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansFs.Grains.Failover.Exit;

/// <summary>
/// What a silo does when Orleans calls it fatal, above all when it finds itself declared dead (a host that vanished
/// and came back, a silo that stalled past the probe window). Orleans' own handler sleeps 2 s "for loggers to flush"
/// and then fails fast with SIGABRT. This one logs one line with its own event id, flushes the logging providers and
/// exits at once with a status an operator can read: <see cref="DeclaredDeadExitCode"/> (75, EX_TEMPFAIL: start me
/// again) or <see cref="FatalErrorExitCode"/> (70). <c>Restart=on-failure</c> in deploy/systemd restarts it as a new
/// incarnation (a new generation in the membership table); it never serves the master under its old epoch, which the
/// journal fences anyway.
/// </summary>
public sealed partial class SiloExitOnFatalError(ILogger<SiloExitOnFatalError> logger, IServiceProvider services) : IFatalErrorHandler
{
    public const int DeclaredDeadExitCode = 75;
    public const int FatalErrorExitCode = 70;

    /// <summary>Overridable for tests, which must not end their own process.</summary>
    internal Action<int> Exit { get; init; } = ExitNow;

    // As Orleans' own handler: every exception that reaches a fatal path counts.
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        bool declaredDead = IsDeclaredDead(context, exception);
        if (declaredDead) LogDeclaredDead(logger, exception, DeclaredDeadExitCode, context ?? "");
        else LogFatal(logger, exception, sender?.ToString() ?? "null", FatalErrorExitCode, context ?? "");
        FlushLogs();
        Exit(declaredDead ? DeclaredDeadExitCode : FatalErrorExitCode);
    }

    /// <summary>Orleans says so in the context ("I have been told I am dead …") or with its declared-dead exception.</summary>
    internal static bool IsDeclaredDead(string? context, Exception? exception) =>
        context?.Contains("dead", StringComparison.OrdinalIgnoreCase) == true
        || exception?.GetType().Name.Contains("DeclaredDead", StringComparison.Ordinal) == true;

    /// <summary>The console provider writes on a thread of its own; disposing it writes what is queued.</summary>
    private void FlushLogs()
    {
        foreach (var provider in services.GetServices<ILoggerProvider>())
        {
            try
            {
                provider.Dispose();
            }
            catch (Exception)
            {
                // Exiting anyway; a provider that cannot flush must not keep the process alive.
            }
        }
    }

    /// <summary>
    /// No shutdown: Environment.Exit would run the host's process-exit handler, which waits for a graceful stop of a
    /// silo the cluster has already declared dead.
    /// </summary>
    private static void ExitNow(int status)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) ExitProcess(status);
        Environment.FailFast($"OrleansFs silo exits with status {status}");
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitProcess(int status);

    [LoggerMessage(EventId = 1940, Level = LogLevel.Critical,
        Message = "This silo was declared dead by the cluster; exiting now with status {ExitStatus} so that its service manager starts it as a new incarnation ({Context})")]
    private static partial void LogDeclaredDead(ILogger logger, Exception? exception, int exitStatus, string context);

    [LoggerMessage(EventId = 1941, Level = LogLevel.Critical, Message = "Fatal error from {Sender}; exiting now with status {ExitStatus} ({Context})")]
    private static partial void LogFatal(ILogger logger, Exception? exception, string sender, int exitStatus, string context);
}
