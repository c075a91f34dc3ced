using System.CommandLine;
using OrleansFs.Cli.Commands;
using OrleansFs.Cli.Signals;

namespace OrleansFs.Cli;

/// <summary>The `ofs` command-line tool (commands follow `alluxio fs`, one class each).</summary>
public static class OfsApp
{
    private static IOfsCommand[] Commands() =>
    [
        new LsCommand(), new MkdirCommand(), new TouchCommand(), new RmCommand(), new MvCommand(),
        new StatCommand(), new CountCommand(), new DuCommand(), new LeaderCommand(), new ReportCommand(),
        new JournalCommand(), new FormatCommand(),
        new CopyFromLocalCommand(), new CopyToLocalCommand(), new CatCommand(), new HeadTailCommand(tail: false),
        new HeadTailCommand(tail: true), new ChecksumCommand(), new SetTtlCommand(), new LocationCommand(),
        .. BlockOperationCommand.All(),
        new LineageCommand(),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        using var signals = new TerminationSignals();
        var globals = new GlobalOptions();
        await using var context = new OfsContext(globals, Console.Out, Console.Error);
        var root = new RootCommand("ofs: the OrleansFs shell");
        globals.AddTo(root);
        foreach (var command in Commands()) root.Add(command.Build(context));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors are one line too; `ofs --help` shows the full syntax.
            string name = parse.CommandResult.Command == root ? "usage" : parse.CommandResult.Command.Name;
            string reason = parse.UnmatchedTokens.Count > 0
                ? $"unknown command or argument '{parse.UnmatchedTokens[0]}'"
                : parse.Errors[0].Message;
            context.Fail(name, null, reason + " (see ofs --help)");
            return OfsContext.UsageError;
        }
        // Our own signal handling (TerminationSignals) instead of System.CommandLine's, which waits for the command.
        int status = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
        return signals.Status != 0 ? signals.Status : status;
    }
}
