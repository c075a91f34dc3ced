using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>
/// Runs an in-process job: creates its type for the attempt (constructor arguments from the silo's services), hands it
/// the context and cancels it at the deadline. An exception fails the attempt with its text; a job that ignores the
/// cancellation is abandoned as timed out (a thread cannot be killed).
/// </summary>
public sealed partial class InProcessJobRunner(IServiceProvider services, LineageJobTypes types, ILogger<InProcessJobRunner> logger)
{
    private const int MaxErrorChars = 8 * 1024;

    public async Task<JobOutcome> RunAsync(LineageJob job, Func<ILineageJobFiles, LineageJobContext> context, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var files = services.GetService<ILineageJobFiles>();
        if (files is null)
            return new JobOutcome { Error = "this silo offers no file access to in-process jobs (its host registers no ILineageJobFiles)" };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var instance = (ILineageJob)ActivatorUtilities.CreateInstance(services, types.Find(job.TypeName));
            await instance.RunAsync(context(files), deadline.Token).WaitAsync(deadline.Token);
            return new JobOutcome();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(logger, job.TypeName);
            return new JobOutcome { TimedOut = true };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e, job.TypeName);
            string text = e.ToString();
            return new JobOutcome { Error = text.Length > MaxErrorChars ? text[..MaxErrorChars] : text };
        }
    }

    [LoggerMessage(EventId = 2234, Level = LogLevel.Warning, Message = "In-process lineage job {TypeName} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string? typeName);

    [LoggerMessage(EventId = 2235, Level = LogLevel.Warning, Message = "In-process lineage job {TypeName} did not finish by its deadline")]
    private static partial void LogTimedOut(ILogger logger, string? typeName);
}
