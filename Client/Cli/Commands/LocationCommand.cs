using System.CommandLine;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs location PATH`: which worker holds each block of a file, and in which tier.</summary>
internal sealed class LocationCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var path = PathArguments.One("path", "file");
        var command = new Command("location", "Show which worker holds each block of a file") { path };
        return command.WithAction(context, async (parse, ct) =>
        {
            string p = parse.GetValue(path)!;
            context.CheckPaths(p);
            var data = await context.DataAsync(parse, ct);
            context.CurrentPath = p;
            var blocks = await data.GetBlockLocationsAsync(p, ct);
            context.Out.WriteLine($"{"Block",-6}{"Block Id",-22}{"Length",-12}{"Worker",-22}Tier");
            foreach (var b in blocks)
            {
                string tier = b.Location.Stored?.Tier ?? "(under-storage only)";
                context.Out.WriteLine($"{b.Index,-6}{b.Block.BlockId,-22}{b.Block.Length,-12}{b.Location.SiloAddress,-22}{tier}");
            }
        });
    }
}
