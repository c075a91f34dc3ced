using Npgsql;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Creates the journal tables at first use from deploy/sql/journal/*.sql (embedded in this assembly), each
/// script once, in order, recorded in <c>ofs_journal_schema_version</c>. One transaction under an advisory
/// lock, so silos starting together do not race, and a second run is a no-op.
/// </summary>
public static class PostgreSqlJournalSchema
{
    public const int CurrentVersion = 1;
    private const string ResourcePrefix = "OrleansFs.Sql.Journal.";
    // Any constant; it only has to differ from other advisory locks taken in the same database.
    private const long AdvisoryLockKey = 0x4F46_534A_524E_4C31; // "OFSJRNL1"

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS ofs_journal_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken);
        int applied = await AppliedVersionAsync(connection, cancellationToken);
        for (int version = applied + 1; version <= CurrentVersion; version++)
        {
            await ExecuteAsync(connection, Script(version), cancellationToken);
            await ExecuteAsync(connection,
                $"INSERT INTO ofs_journal_schema_version (version) VALUES ({version}) ON CONFLICT (version) DO NOTHING", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The text of a schema script, as shipped in deploy/sql/journal/.</summary>
    public static string Script(int version)
    {
        var assembly = typeof(PostgreSqlJournalSchema).Assembly;
        string name = assembly.GetManifestResourceNames().Single(n => n.StartsWith($"{ResourcePrefix}{version:D3}_", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

    private static async Task<int> AppliedVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM ofs_journal_schema_version", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
