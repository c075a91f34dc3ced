using System.CommandLine;

namespace OrleansFs.Cli.Commands;

internal static class CommandAction
{
    /// <summary>Wires a command body so its failures become one stderr line and an exit status.</summary>
    public static Command WithAction(this Command command, OfsContext context, Func<ParseResult, CancellationToken, Task> body, string? name = null)
    {
        command.SetAction((parse, cancellationToken) => context.RunAsync(name ?? command.Name, () => body(parse, cancellationToken)));
        return command;
    }
}
