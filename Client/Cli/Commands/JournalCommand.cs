using System.CommandLine;
using System.Globalization;
using Npgsql;
using OrleansFs.Errors;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Journal.PostgreSql;
using OrleansFs.Grains.Master.Entries;

namespace OrleansFs.Cli.Commands;

/// <summary>
/// `ofs journal dump DIR` or `ofs journal dump --postgres CONNSTR`: reads a journal directory or the PostgreSQL
/// journal's tables offline (no cluster, nothing written) and prints its epochs, checkpoints and every record
/// with sequence, epoch, type and path, like Alluxio's journal tool.
/// </summary>
internal sealed class JournalCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var directory = new Argument<string?>("directory")
        {
            Description = "the journal directory (Journal:Directory)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "read the PostgreSQL journal (Journal:Kind=PostgreSql) at this connection string instead",
        };
        var dump = new Command("dump", "Print every record of a journal directory or PostgreSQL journal") { directory, postgres };
        dump.WithAction(context, async (parse, cancellationToken) =>
        {
            if (parse.GetValue(postgres) is { Length: > 0 } connectionString)
            {
                await DumpPostgreSqlAsync(context.Out, connectionString, cancellationToken);
                return;
            }
            string dir = Path.GetFullPath(parse.GetValue(directory)
                ?? throw FsException.InvalidArgument(null, "give the journal directory, or --postgres CONNSTR"));
            context.CurrentPath = dir;
            Dump(context.Out, dir);
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

    /// <summary>The same history as <see cref="Dump"/>, from the tables; a damaged record fails naming its sequence.</summary>
    private static async Task DumpPostgreSqlAsync(TextWriter output, string connectionString, CancellationToken cancellationToken)
    {
        string location = PostgreSqlJournalReader.LocationOf(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw FsException.Unavailable($"cannot reach the PostgreSQL journal at {location}: {e.Message}");
        }
        output.WriteLine($"Journal {location}");
        foreach (var epoch in await PostgreSqlJournalReader.ReadEpochsAsync(connection, cancellationToken))
            output.WriteLine($"epoch {epoch.Epoch}: {(epoch.Seal is { } seal ? $"sealed earlier epochs at sequence {seal}" : "not sealed")}");
        foreach (var (sequence, _, problem) in await PostgreSqlJournalReader.ReadCheckpointsAsync(connection, cancellationToken))
            output.WriteLine($"checkpoint at sequence {sequence}: ofs_journal_checkpoints {(problem is null ? "ok" : "damaged: " + problem)}");
        output.WriteLine($"{"SEQUENCE",-10}{"EPOCH",-7}{"TYPE",-17}PATH");
        foreach (var record in await PostgreSqlJournalReader.ReadAllAsync(connection, cancellationToken))
            output.WriteLine(Line(record, new JournalDumpEntry("ofs_journal_records", record.Sequence, record, 0)));
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
