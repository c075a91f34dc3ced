using System.CommandLine;
using Npgsql;
using OrleansFs.Errors;
using OrleansFs.Grains.Journal.PostgreSql;
using OrleansFs.Schema;

namespace OrleansFs.Cli.Commands;

/// <summary>
/// `ofs format --postgres CONNSTR`: creates or completes the PostgreSQL schema (journal, Orleans membership, grain
/// storage, reminders) before the first silo starts, printing each script it applies. Run again, it says the schema
/// is up to date and changes nothing. Silos apply the same scripts at start-up, so this is for operators who want
/// the DDL done (and its rights used) once, up front.
/// </summary>
internal sealed class FormatCommand : IOfsCommand
{
    public Command Build(OfsContext context)
    {
        var format = new Command("format", "Create the PostgreSQL schema (--postgres CONNSTR or $OFS_POSTGRES); a second run changes nothing");
        format.WithAction(context, async (parse, cancellationToken) =>
        {
            string connectionString = context.PostgreSqlConnectionString(parse)
                ?? throw FsException.InvalidArgument(null, $"give the database: --postgres CONNSTR or ${GlobalOptions.PostgreSqlVariable}");
            string location = Location(connectionString);
            context.Out.WriteLine($"Schema {location}");
            try
            {
                await PostgreSqlSchema.ApplyAsync(connectionString, new LineProgress(context.Out), cancellationToken);
            }
            catch (NpgsqlException e)
            {
                throw FsException.Unavailable($"cannot apply the schema at {location}: {e.Message}");
            }
        });
        return format;
    }

    private static string Location(string connectionString)
    {
        try
        {
            return PostgreSqlJournalReader.LocationOf(connectionString);
        }
        catch (ArgumentException e)
        {
            throw FsException.InvalidArgument(null, $"--postgres is not an Npgsql connection string: {e.Message}");
        }
    }

    /// <summary>Writes each report as it comes, on the caller's thread (Progress&lt;T&gt; would post it elsewhere).</summary>
    private sealed class LineProgress(TextWriter output) : IProgress<string>
    {
        public void Report(string value) => output.WriteLine(value);
    }
}
