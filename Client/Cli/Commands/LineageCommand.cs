using System.CommandLine;
using OrleansFs.Cli.Output;
using OrleansFs.Errors;
using OrleansFs.Lineage;

namespace OrleansFs.Cli.Commands;

/// <summary>
/// `ofs lineage create|ls|show|rm`: records which job makes which files, lists and explains them, forgets them
/// (Tachyon's `createLineage`, `listLineages`, `deleteLineage`). docs/lineage.md.
/// </summary>
internal sealed class LineageCommand : IOfsCommand
{
    public Command Build(OfsContext context) =>
        new("lineage", "Record, list, show and delete lineages (which job makes which files)")
        {
            Create(context), List(context), Show(context), Remove(context),
        };

    private static Command Create(OfsContext context)
    {
        var inputs = new Option<string[]>("--input", "-i") { Description = "an input file (persisted, or made by another lineage); repeat for more" };
        var outputs = new Option<string[]>("--output", "-o") { Description = "an output file, created empty and bound to the lineage; repeat for more", Required = true };
        var run = new Option<bool>("--run") { Description = "also run the job once now, on a live silo" };
        var job = new Option<string?>("--job") { Description = "an in-process job: the name of a type implementing ILineageJob loaded in the silos" };
        var jobArgs = new Option<string[]>("--job-arg") { Description = "an argument for the in-process job; repeat for more" };
        var workingDirectory = new Option<string?>("--working-directory") { Description = "the command-line job's working directory on the silo" };
        var commandLine = new Argument<string[]>("command")
        {
            Description = "the command-line job after `--`: an executable (allowed by Lineage:CommandJobs:Allowed) and its arguments",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("create", "Record a lineage: -- EXECUTABLE [ARGS...] or --job TYPE")
        {
            inputs, outputs, run, job, jobArgs, workingDirectory, commandLine,
        };
        return command.WithAction(context, async (parse, ct) =>
        {
            string[] ins = parse.GetValue(inputs) ?? [];
            string[] outs = parse.GetValue(outputs) ?? [];
            context.CheckPaths([.. ins, .. outs]);
            var lineageJob = JobOf(parse.GetValue(job), parse.GetValue(jobArgs) ?? [], parse.GetValue(commandLine) ?? [], parse.GetValue(workingDirectory));
            var fs = await context.FileSystemAsync(parse, ct);
            bool runNow = parse.GetValue(run);
            long id = await fs.CreateLineageAsync(ins, outs, lineageJob, runNow, ct);
            context.Out.WriteLine(runNow ? $"Lineage {id} has been created and asked to run." : $"Lineage {id} has been created.");
        }, "lineage create");
    }

    private static LineageJob JobOf(string? typeName, string[] jobArgs, string[] commandLine, string? workingDirectory)
    {
        if (typeName is not null && commandLine.Length > 0)
            throw FsException.InvalidArgument(null, "give either --job TYPE or -- EXECUTABLE [ARGS...], not both");
        if (typeName is not null)
        {
            if (workingDirectory is not null) throw FsException.InvalidArgument(null, "--working-directory is for command-line jobs");
            return LineageJob.InProcess(typeName, jobArgs);
        }
        if (commandLine.Length == 0)
            throw FsException.InvalidArgument(null, "give the job: -- EXECUTABLE [ARGS...] or --job TYPE");
        if (jobArgs.Length > 0) throw FsException.InvalidArgument(null, "--job-arg is for in-process jobs (--job)");
        return LineageJob.CommandLine(commandLine[0], commandLine[1..]) with { WorkingDirectory = workingDirectory };
    }

    private static Command List(OfsContext context)
    {
        var command = new Command("ls", "List every lineage");
        return command.WithAction(context, async (parse, ct) =>
        {
            var fs = await context.FileSystemAsync(parse, ct);
            var lineages = await fs.ListLineagesAsync(ct);
            if (lineages.Count == 0)
            {
                context.Out.WriteLine("No lineages.");
                return;
            }
            foreach (var lineage in lineages) context.Out.WriteLine(LineageText.ListLine(lineage));
        }, "lineage ls");
    }

    private static Command Show(OfsContext context)
    {
        var id = new Argument<long>("id") { Description = "the lineage's id (ofs lineage ls)" };
        var command = new Command("show", "Show a lineage: its files and their states, its job and its runs with their logs") { id };
        return command.WithAction(context, async (parse, ct) =>
        {
            var fs = await context.FileSystemAsync(parse, ct);
            var data = await context.DataAsync(parse, ct);
            var lineage = await fs.GetLineageAsync(parse.GetValue(id), ct);
            var states = new LineageFileStates(fs, data);
            await LineageText.WriteAsync(context.Out, lineage, states, ct);
        }, "lineage show");
    }

    private static Command Remove(OfsContext context)
    {
        var id = new Argument<long>("id") { Description = "the lineage's id" };
        var cascade = new Option<bool>("--cascade") { Description = "also delete the lineages that read its outputs, and theirs" };
        var command = new Command("rm", "Delete a lineage; its outputs stay as plain files") { id, cascade };
        return command.WithAction(context, async (parse, ct) =>
        {
            var fs = await context.FileSystemAsync(parse, ct);
            long lineage = parse.GetValue(id);
            await fs.DeleteLineageAsync(lineage, parse.GetValue(cascade), ct);
            context.Out.WriteLine($"Lineage {lineage} has been deleted{(parse.GetValue(cascade) ? ", with the lineages downstream" : "")}.");
        }, "lineage rm");
    }
}
