using System.CommandLine;
using OrleansFs.Client.Streams;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs copyFromLocal SRC DST [--write-type T] [--block-size BYTES]`: a local file or directory tree into OrleansFs.</summary>
internal sealed class CopyFromLocalCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var source = PathArguments.One("src", "local file or directory");
        var destination = PathArguments.One("dst", "OrleansFs path");
        var writeType = DataTypeOptions.WriteType();
        var blockSize = new Option<long>("--block-size") { Description = "block size in bytes", DefaultValueFactory = _ => CreateFileOptions.DefaultBlockSizeBytes };
        var command = new Command("copyFromLocal", "Copy a local file or directory into OrleansFs") { source, destination, writeType, blockSize };
        return command.WithAction(context, async (parse, ct) =>
        {
            string src = parse.GetValue(source)!, dst = parse.GetValue(destination)!;
            context.CheckPaths(dst);
            var options = new CreateFileOptions
            {
                WriteType = DataTypeOptions.ParseWriteType(parse.GetValue(writeType)!),
                BlockSizeBytes = parse.GetValue(blockSize),
            };
            if (!File.Exists(src) && !Directory.Exists(src)) throw new ArgumentException($"{src}: no such local file or directory");
            var data = await context.DataAsync(parse, ct);
            int copied = 0;
            foreach (var (local, remote) in Pairs(src, dst))
            {
                context.CurrentPath = remote;
                await using var input = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
                await using var output = await data.CreateFileAsync(remote, options, ct);
                try
                {
                    await CopyProgress.CopyAsync(input, output, input.Length, remote, ct);
                }
                catch
                {
                    await output.CancelAsync();
                    throw;
                }
                copied++;
            }
            context.Out.WriteLine($"Copied {src} to {dst} ({copied} file{(copied == 1 ? "" : "s")})");
        });
    }

    private static IEnumerable<(string Local, string Remote)> Pairs(string src, string dst)
    {
        if (File.Exists(src))
        {
            yield return (src, dst);
            yield break;
        }
        foreach (string file in Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(src, file).Replace(Path.DirectorySeparatorChar, '/');
            yield return (file, dst.TrimEnd('/') + "/" + relative);
        }
    }
}
