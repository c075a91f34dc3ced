using System.Runtime.InteropServices;

namespace OrleansFs.Cli.Signals;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM end `ofs` at once, with the status a shell gives a process those signals end (130,
/// 143). The signal cancels <see cref="Token"/>, which every command's waits take; the process then exits as soon as
/// the command unwinds, and after <see cref="Grace"/> at the latest, even if a wait ignored the token or the Orleans
/// client's shutdown stalls. A second signal exits at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    public const int InterruptedStatus = 130;
    public const int TerminatedStatus = 143;

    /// <summary>How long a command has to unwind after a signal before the process ends without it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _status;

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The exit status the signal asks for, or 0 when none came.</summary>
    public int Status => Volatile.Read(ref _status);

    public static int StatusFor(PosixSignal signal) => signal == PosixSignal.SIGINT ? InterruptedStatus : TerminatedStatus;

    private void OnSignal(PosixSignalContext context)
    {
        // The process ends here, with the signal's status, instead of by the runtime's default.
        context.Cancel = true;
        int status = StatusFor(context.Signal);
        if (Interlocked.CompareExchange(ref _status, status, 0) != 0)
        {
            ExitNow(Status);
            return;
        }
        // The deadline first, on a thread of its own: a cancellation callback may itself block (on a full pipe, say).
        new Thread(() =>
        {
            Thread.Sleep(Grace);
            ExitNow(status);
        }) { IsBackground = true, Name = "ofs exit deadline" }.Start();
        ThreadPool.QueueUserWorkItem(_ => _cancel.Cancel());
    }

    /// <summary>
    /// Ends the process without waiting for anything, no shutdown handler nor a flush: standard output may be the full
    /// pipe that blocked the command (Console's writers flush every write, so nothing is held back).
    /// </summary>
    private static void ExitNow(int status)
    {
        if (OperatingSystem.IsWindows()) Environment.Exit(status);
        Exit(status);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }
}
