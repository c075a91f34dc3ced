using System.CommandLine;
using OrleansFs.Client.Streams;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs copyToLocal SRC DST [--read-type T]`: an OrleansFs file or directory tree to local disk.</summary>
internal sealed class CopyToLocalCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var source = PathArguments.One("src", "OrleansFs path");
        var destination = PathArguments.One("dst", "local file or directory");
        var readType = DataTypeOptions.ReadType();
        var command = new Command("copyToLocal", "Copy an OrleansFs file or directory to the local file system") { source, destination, readType };
        return command.WithAction(context, async (parse, ct) =>
        {
            string src = parse.GetValue(source)!, dst = parse.GetValue(destination)!;
            context.CheckPaths(src);
            var options = new OpenFileOptions { ReadType = DataTypeOptions.ParseReadType(parse.GetValue(readType)!) };
            var fs = await context.FileSystemAsync(parse, ct);
            var data = await context.DataAsync(parse, ct);
            context.CurrentPath = src;
            var status = await fs.GetStatusAsync(src, ct);
            // Copied as the listing streams in, page by page: a big tree starts copying at once and is never held whole.
            var files = status.IsDirectory
                ? fs.EnumerateStatusAsync(src, recursive: true, ct).Where(s => !s.IsDirectory)
                : new[] { status }.ToAsyncEnumerable();
            int copied = 0;
            await foreach (var file in files)
            {
                context.CurrentPath = file.Path;
                string local = status.IsDirectory
                    ? Path.Combine(dst, file.Path[(status.Path.Length + 1)..])
                    : Directory.Exists(dst) ? Path.Combine(dst, status.Name) : dst;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(local))!);
                await using var input = await data.OpenFileAsync(file.Path, options, ct);
                string temp = local + ".ofs-partial";
                await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                    await CopyProgress.CopyAsync(input, output, file.Length, file.Path, ct);
                File.Move(temp, local, overwrite: true);
                copied++;
            }
            context.Out.WriteLine($"Copied {src} to {dst} ({copied} file{(copied == 1 ? "" : "s")})");
        });
    }
}
