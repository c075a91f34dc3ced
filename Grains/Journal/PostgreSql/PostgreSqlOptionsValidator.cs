using Microsoft.Extensions.Options;
using Npgsql;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Rejects a missing or unparsable `PostgreSql:ConnectionString` at startup, naming the key. The section matters only
/// to a PostgreSQL journal, so without one (<paramref name="journal"/> given and naming another kind) anything passes.
/// </summary>
public sealed class PostgreSqlOptionsValidator(IOptions<JournalOptions>? journal = null) : IValidateOptions<PostgreSqlOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlOptions options)
    {
        if (journal is not null && !JournalOptionsValidator.IsPostgreSql(journal.Value.Kind))
            return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail(
                "PostgreSql:ConnectionString must be set for Journal:Kind=PostgreSql (e.g. Host=db;Database=ofs;Username=ofs;Password=...)");
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
}
