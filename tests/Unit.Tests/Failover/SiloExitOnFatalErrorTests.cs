using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansFs.Grains.Failover.Exit;

namespace OrleansFs.Unit.Tests.Failover;

public sealed class SiloExitOnFatalErrorTests
{
    [Fact]
    public void A_silo_told_it_is_dead_exits_with_75_after_logging_one_line_with_its_event_id()
    {
        var (handler, log, exits) = Handler();

        handler.OnFatalException(new object(), "I have been told I am dead, so this silo will stop! Reason: I should be Dead according to membership table");

        Assert.Equal([SiloExitOnFatalError.DeclaredDeadExitCode], exits);
        var line = Assert.Single(log.Lines);
        Assert.Equal(1940, line.EventId);
        Assert.Equal(LogLevel.Critical, line.Level);
        Assert.Contains("declared dead", line.Message);
    }

    [Fact]
    public void Any_other_fatal_error_exits_with_70()
    {
        var (handler, log, exits) = Handler();

        handler.OnFatalException(new object(), "Error processing membership updates", new InvalidOperationException("boom"));

        Assert.Equal([SiloExitOnFatalError.FatalErrorExitCode], exits);
        Assert.Equal(1941, Assert.Single(log.Lines).EventId);
    }

    [Fact]
    public void Orleans_declared_dead_exception_counts_as_declared_dead()
    {
        Assert.True(SiloExitOnFatalError.IsDeclaredDead("ProcessMembershipUpdates", new OrleansSiloDeclaredDeadException("This silo has been declared dead.")));
        Assert.False(SiloExitOnFatalError.IsDeclaredDead("ProcessMembershipUpdates", new InvalidOperationException("boom")));
    }

    private static (SiloExitOnFatalError Handler, RecordingLogger Log, List<int> Exits) Handler()
    {
        var log = new RecordingLogger();
        var exits = new List<int>();
        var services = new ServiceCollection().BuildServiceProvider();
        return (new SiloExitOnFatalError(log, services) { Exit = exits.Add }, log, exits);
    }

    /// <summary>The name Orleans gives its exception; only the name is matched.</summary>
    private sealed class OrleansSiloDeclaredDeadException(string message) : Exception(message);

    private sealed class RecordingLogger : ILogger<SiloExitOnFatalError>
    {
        public List<(int EventId, LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((eventId.Id, logLevel, formatter(state, exception)));
    }
}
