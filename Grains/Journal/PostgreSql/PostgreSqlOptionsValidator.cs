using Microsoft.Extensions.Options;
using Npgsql;
using OrleansFs.Grains.Hosting;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Rejects a missing or unparsable `PostgreSql:ConnectionString` at startup, naming the key. The section matters only
/// to a PostgreSQL journal or PostgreSQL membership, so when the sections given name neither, anything passes.
/// </summary>
public sealed class PostgreSqlOptionsValidator(
    IOptions<JournalOptions>? journal = null, IOptions<OrleansFsClusterOptions>? cluster = null) : IValidateOptions<PostgreSqlOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlOptions options)
    {
        if (UsedBy() is not { } user) return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail(
                $"PostgreSql:ConnectionString must be set for {user} (e.g. Host=db;Database=ofs;Username=ofs;Password=...)");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
                return ValidateOptionsResult.Fail("PostgreSql:ConnectionString names no Host");
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"PostgreSql:ConnectionString cannot be parsed: {e.Message}");
        }
        return ValidateOptionsResult.Success;
    }

    /// <summary>The setting that needs PostgreSQL, or null when none does; with neither section given, the journal.</summary>
    private string? UsedBy()
    {
        bool journalUses = journal is null ? cluster is null : JournalOptionsValidator.IsPostgreSql(journal.Value.Kind);
        if (journalUses) return "Journal:Kind=PostgreSql";
        return cluster?.Value.ParsedMembership == MembershipKind.PostgreSql ? "Cluster:Membership=PostgreSql" : null;
    }
}
