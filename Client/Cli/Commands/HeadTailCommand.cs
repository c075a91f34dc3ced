using System.CommandLine;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs head|tail [-c BYTES] PATH`: the first or last bytes of a file (1 KiB unless told).</summary>
internal sealed class HeadTailCommand(bool tail) : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var path = PathArguments.One("path", "file");
        var bytes = new Option<long>("-c", "--bytes") { Description = "how many bytes", DefaultValueFactory = _ => 1024 };
        string name = tail ? "tail" : "head";
        var command = new Command(name, tail ? "Print the last bytes of a file" : "Print the first bytes of a file") { path, bytes };
        return command.WithAction(context, async (parse, ct) =>
        {
            string p = parse.GetValue(path)!;
            context.CheckPaths(p);
            long count = parse.GetValue(bytes);
            if (count < 0) throw new ArgumentException($"-c must not be negative, not {count}");
            var data = await context.DataAsync(parse, ct);
            context.CurrentPath = p;
            await using var input = await data.OpenFileAsync(p, cancellationToken: ct);
            long start = tail ? Math.Max(0, input.Length - count) : 0;
            long end = Math.Min(input.Length, start + count);
            input.Seek(start, SeekOrigin.Begin);
            await using var stdout = Console.OpenStandardOutput();
            var buffer = new byte[1 << 16];
            for (long left = end - start; left > 0;)
            {
                int n = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
                if (n == 0) break;
                await stdout.WriteAsync(buffer.AsMemory(0, n), ct);
                left -= n;
            }
        });
    }
}
