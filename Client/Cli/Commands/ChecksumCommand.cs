using System.CommandLine;
using System.Security.Cryptography;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs checksum PATH...`: SHA-256 of each file's contents, as `sha256sum` prints it.</summary>
internal sealed class ChecksumCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var paths = PathArguments.OneOrMore("files");
        var command = new Command("checksum", "Print the SHA-256 of files' contents") { paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var data = await context.DataAsync(parse, ct);
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                await using var input = await data.OpenFileAsync(path, cancellationToken: ct);
                var hash = await SHA256.HashDataAsync(input, ct);
                context.Out.WriteLine($"{Convert.ToHexStringLower(hash)}  {path}");
            }
        });
    }
}
