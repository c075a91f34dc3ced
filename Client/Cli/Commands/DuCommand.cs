using System.CommandLine;
using System.Globalization;
using OrleansFs.Cli.Output;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>
/// `ofs du [-s] [-h] PATH...`: the size of each file below a path and how much of it is in worker memory, or
/// (-s) one total per path. Alluxio's "File Size  In Alluxio  Path" becomes "Size  In Memory  Path".
/// </summary>
internal sealed class DuCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var summarize = new Option<bool>("-s", "--summarize") { Description = "one total per path" };
        var human = new Option<bool>("-h", "--human-readable") { Description = "sizes in KB, MB, GB" };
        var paths = PathArguments.OneOrMore("files or directories");
        var command = new Command("du", "Show the size of files and directories and how much of it is in memory") { summarize, human, paths };
        return command.WithAction(context, async (parse, ct) =>
        {
            context.CheckPaths(parse.GetValue(paths)!);
            var fs = await context.FileSystemAsync(parse, ct);
            var data = await context.DataAsync(parse, ct);
            bool h = parse.GetValue(human);
            context.Out.WriteLine(Line("Size", "In Memory", "Path"));
            foreach (string path in parse.GetValue(paths)!)
            {
                context.CurrentPath = path;
                if (parse.GetValue(summarize))
                {
                    var (bytes, inMemory) = await data.GetUsageAsync(path, ct);
                    context.Out.WriteLine(Row(bytes, inMemory, h, path));
                    continue;
                }
                // Streamed in tree order: a file's row is printed while later pages are still to come.
                await foreach (var file in FilesBelowAsync(fs, path, ct))
                {
                    var (bytes, inMemory) = await data.GetUsageAsync(file.Path, ct);
                    context.Out.WriteLine(Row(bytes, inMemory, h, file.Path));
                }
            }
        });
    }

    private static string Row(long bytes, long inMemory, bool human, string path) =>
        Line(FileStatusText.Bytes(bytes, human), $"{FileStatusText.Bytes(inMemory, human)} ({Percent(inMemory, bytes)}%)", path);

    private static string Line(string size, string inMemory, string path) => $"{size,-15}{inMemory,-20}{path}";

    /// <summary>Whole percent, rounded down so a file with one block missing never shows 100%; 0 for an empty file, as Alluxio prints.</summary>
    private static string Percent(long part, long whole) =>
        (whole == 0 ? 0 : part * 100 / whole).ToString(CultureInfo.InvariantCulture);

    // A file lists as itself.
    private static IAsyncEnumerable<FileStatus> FilesBelowAsync(OrleansFs.Client.IFileSystem fs, string path, CancellationToken ct) =>
        fs.EnumerateStatusAsync(path, recursive: true, ct).Where(s => !s.IsDirectory);
}
