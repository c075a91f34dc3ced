using System.CommandLine;
using OrleansFs.Files;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs setTtl PATH MILLISECONDS [--action delete|free]`: when a file expires and what then happens.</summary>
internal sealed class SetTtlCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var path = PathArguments.One("path", "file or directory");
        var ttl = new Argument<long>("ms") { Description = "time to live in milliseconds from creation; -1 for none" };
        var action = new Option<string>("--action") { Description = "delete (default) or free", DefaultValueFactory = _ => "delete" };
        var command = new Command("setTtl", "Set a time to live") { path, ttl, action };
        return command.WithAction(context, async (parse, ct) =>
        {
            string p = parse.GetValue(path)!;
            context.CheckPaths(p);
            var what = parse.GetValue(action)!.ToLowerInvariant() switch
            {
                "delete" => TtlAction.Delete,
                "free" => TtlAction.Free,
                var other => throw new ArgumentException($"unknown TTL action '{other}' (delete or free)"),
            };
            var data = await context.DataAsync(parse, ct);
            context.CurrentPath = p;
            await data.SetTtlAsync(p, parse.GetValue(ttl), what, ct);
            context.Out.WriteLine($"TTL of {p} set to {parse.GetValue(ttl)} ms, action {what.ToString().ToUpperInvariant()}");
        });
    }
}
