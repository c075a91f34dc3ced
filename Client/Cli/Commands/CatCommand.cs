using System.CommandLine;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs cat PATH...`: writes files' bytes to standard output.</summary>
internal sealed class CatCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var paths = PathArguments.OneOrMore("files to print");
        var command = new Command("cat", "Print the contents of files") { paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var data = await context.DataAsync(parse, ct);
            await using var stdout = Console.OpenStandardOutput();
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                await using var input = await data.OpenFileAsync(path, cancellationToken: ct);
                await input.CopyToAsync(stdout, 1 << 20, ct);
            }
        });
    }
}
