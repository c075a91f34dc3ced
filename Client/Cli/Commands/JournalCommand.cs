using System.CommandLine;
using System.Globalization;
using OrleansFs.Errors;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master.Entries;

namespace OrleansFs.Cli.Commands;

/// <summary>
/// `ofs journal dump DIR`: reads a journal directory offline (no cluster, nothing written) and prints its
/// epochs, checkpoints and every record with sequence, epoch, type and path, like Alluxio's journal tool.
/// </summary>
internal sealed class JournalCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var directory = new Argument<string>("directory") { Description = "the journal directory (Journal:Directory)" };
        var dump = new Command("dump", "Print every record of a journal directory") { directory };
        dump.WithAction(context, (parse, _) =>
        {
            string dir = Path.GetFullPath(parse.GetValue(directory)!);
            context.CurrentPath = dir;
            Dump(context.Out, dir);
            return Task.CompletedTask;
        }, "journal dump");
        return new Command("journal", "Inspect the master's journal offline") { dump };
    }

    private static void Dump(TextWriter output, string dir)
    {
        if (!Directory.Exists(dir)) throw new FsException(FsErrorCode.NotFound, dir, "no such journal directory");
        output.WriteLine($"Journal {dir}");
        foreach (var epoch in JournalReader.ReadEpochs(dir))
            output.WriteLine($"epoch {epoch.Epoch}: {(epoch.Seal is { } seal ? $"sealed earlier epochs at sequence {seal}" : "not sealed")}");
        foreach (var (file, sequence, problem) in JournalReader.ReadCheckpoints(dir))
            output.WriteLine($"checkpoint at sequence {sequence}: {Path.GetFileName(file)} {(problem is null ? "ok" : "damaged: " + problem)}");
        output.WriteLine($"{"SEQUENCE",-10}{"EPOCH",-7}{"TYPE",-17}PATH");
        foreach (var entry in JournalReader.ReadAll(dir))
        {
            if (entry.IsTornTail)
            {
                output.WriteLine($"torn tail: {entry.TornBytes} bytes at offset {entry.Offset} of {entry.File} (recovery cuts them)");
                continue;
            }
            output.WriteLine(Line(entry.Record, entry));
        }
    }

    private static string Line(JournalRecord record, JournalDumpEntry at)
    {
        string type, path;
        try
        {
            var decoded = MasterEntryCodec.Decode(record.Type, record.Payload.Span);
            type = decoded.Type.ToString();
            path = decoded.Describe();
        }
        catch (InvalidDataException e)
        {
            throw new FsException(FsErrorCode.JournalCorrupt, at.File,
                $"record {record.Sequence} at offset {at.Offset} cannot be decoded: {e.Message}");
        }
        return string.Create(CultureInfo.InvariantCulture, $"{record.Sequence,-10}{record.Epoch,-7}{type,-17}{path}");
    }
}
