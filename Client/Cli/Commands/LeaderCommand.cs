using System.CommandLine;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs leader`: the silo hosting the master, and the master's epoch.</summary>
internal sealed class LeaderCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var command = new Command("leader", "Show the silo hosting the master and its epoch");
        return command.WithAction(context, async (parse, ct) =>
        {
            var fs = await context.FileSystemAsync(parse, ct);
            var info = await fs.GetMasterInfoAsync(ct);
            context.Out.WriteLine($"{info.SiloAddress} (epoch {info.Epoch})");
        });
    }
}
