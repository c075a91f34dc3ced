using System.CommandLine;
using System.Globalization;
using OrleansFs.Blocks;
using OrleansFs.Cli.Output;
using OrleansFs.Client.Cluster;
using OrleansFs.Master;

namespace OrleansFs.Cli.Commands;

/// <summary>`ofs report`: the master, the namespace and journal figures, and every silo with its status.</summary>
internal sealed class ReportCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var command = new Command("report", "Show the master, the journal and every silo");
        return command.WithAction(context, async (parse, ct) =>
        {
            var fs = await context.FileSystemAsync(parse, ct);
            var info = await fs.GetMasterInfoAsync(ct);
            var silos = await fs.GetClusterMembersAsync(ct);
            var workers = await WorkerStatsAsync(context, parse, ct);
            PrintMaster(context.Out, info);
            PrintSilos(context.Out, silos, workers);
        });
    }

    private static void PrintMaster(TextWriter output, MasterInfo info)
    {
        output.WriteLine("OrleansFs cluster summary:");
        Line(output, "Master", $"{info.SiloAddress} (epoch {info.Epoch})");
        Line(output, "Master since", Time(info.ActiveSince));
        Line(output, "Recovery took", $"{info.RecoveryDuration.TotalMilliseconds:0} ms");
        Line(output, "Files", info.FileCount.ToString(CultureInfo.InvariantCulture));
        Line(output, "Directories", info.DirectoryCount.ToString(CultureInfo.InvariantCulture));
        Line(output, "Journal", $"{info.JournalKind} {info.JournalLocation}");
        Line(output, "Journal sequence", info.JournalSequence.ToString(CultureInfo.InvariantCulture));
        Line(output, "Last checkpoint", info.LastCheckpointTime is { } at
            ? $"sequence {info.LastCheckpointSequence} at {Time(at)}"
            : "none");
    }

    /// <summary>Capacity and use per worker; a report without them is still worth printing, so failures show as "-".</summary>
    private static async Task<Dictionary<string, WorkerStats>> WorkerStatsAsync(OfsContext context, ParseResult parse, CancellationToken ct)
    {
        try
        {
            var data = await context.DataAsync(parse, ct);
            return (await data.GetWorkerStatsAsync(ct)).ToDictionary(w => w.SiloAddress, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Dictionary<string, WorkerStats>();
        }
    }

    private static void PrintSilos(TextWriter output, IReadOnlyList<SiloMember> silos, Dictionary<string, WorkerStats> workers)
    {
        output.WriteLine();
        output.WriteLine($"Silos ({silos.Count(s => s.Status == "Active")} active, {silos.Count} known):");
        output.WriteLine($"    {"Address",-22}{"Status",-14}{"Name",-16}{"Gateway",-9}{"Capacity",-11}{"Used",-11}{"Blocks",-8}{"Standby",-14}{"Started",-22}Last heartbeat");
        foreach (var s in silos)
        {
            var (capacity, used, blocks, standby) = workers.TryGetValue(s.Address, out var w)
                ? (FileStatusText.Bytes(w.CapacityBytes, human: true), FileStatusText.Bytes(w.UsedBytes, human: true),
                    w.BlockCount.ToString(CultureInfo.InvariantCulture), w.Standby is "" ? "-" : w.Standby)
                : ("-", "-", "-", "-");
            output.WriteLine($"    {s.Address,-22}{s.Status,-14}{s.SiloName,-16}{s.GatewayPort,-9}{capacity,-11}{used,-11}{blocks,-8}{standby,-14}{Time(s.StartTime),-22}{Time(s.LastHeartbeat)}");
        }
    }

    private static void Line(TextWriter output, string label, string value) => output.WriteLine($"    {label + ":",-20}{value}");

    private static string Time(DateTimeOffset time) =>
        time == default ? "-" : time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
