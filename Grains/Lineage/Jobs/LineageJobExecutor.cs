using OrleansFs.Errors;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage.Jobs;

/// <summary>
/// Runs one attempt of a lineage's job on this silo, whatever its kind. The job writes <paramref name="outputs"/>
/// wherever it is told: a command-line argument equal to one of the lineage's output paths is replaced by the path
/// given for it (a recompute's scratch path), as are the environment and an in-process job's context.
/// </summary>
public sealed class LineageJobExecutor(
    CommandJobAllowList allowList,
    CommandLineJobRunner commandLine,
    InProcessJobRunner inProcess,
    JobEnvironment environment,
    IServiceProvider services)
{
    public async Task<JobOutcome> RunAsync(LineageInfo lineage, LineageRunTrigger trigger, int runId, int attempt,
        IReadOnlyList<string> outputs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var job = lineage.Job;
        if (job.Kind == LineageJobKind.InProcess)
            return await inProcess.RunAsync(job, files => new LineageJobContext
            {
                LineageId = lineage.Id,
                RunId = runId,
                Attempt = attempt,
                Trigger = trigger,
                Inputs = lineage.Inputs,
                Outputs = outputs,
                JobArguments = job.JobArguments,
                Files = files,
                Services = services,
            }, timeout, cancellationToken);
        string executable;
        try
        {
            // Checked again here: the allow-list may have changed since the lineage was recorded.
            executable = allowList.Resolve(job.Executable);
        }
        catch (FsException e)
        {
            return new JobOutcome { Error = e.Reason };
        }
        var start = new CommandLineJobStart
        {
            Executable = executable,
            Arguments = Redirect(job.Arguments, lineage.Outputs.Select(o => o.Path).ToArray(), outputs),
            WorkingDirectory = job.WorkingDirectory,
            Environment = await environment.BuildAsync(lineage.Id, runId, attempt, lineage.Inputs, outputs),
        };
        return await commandLine.RunAsync(start, timeout, cancellationToken);
    }

    /// <summary>Arguments with each one that is exactly a recorded output path replaced by where this attempt writes it.</summary>
    public static IReadOnlyList<string> Redirect(IReadOnlyList<string> arguments, IReadOnlyList<string> recorded, IReadOnlyList<string> outputs)
    {
        var result = new string[arguments.Count];
        for (int i = 0; i < arguments.Count; i++)
        {
            int index = IndexOf(recorded, arguments[i]);
            result[i] = index >= 0 && index < outputs.Count ? outputs[index] : arguments[i];
        }
        return result;
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
