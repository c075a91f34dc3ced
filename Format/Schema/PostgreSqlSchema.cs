using System.Reflection;
using Npgsql;

namespace OrleansFs.Schema;

/// <summary>
/// Applies every PostgreSQL schema script OrleansFs ships (deploy/sql/journal and deploy/sql/orleans, embedded in
/// this assembly) that the database has not had yet, in order, each recorded in <c>ofs_schema_version</c>. One
/// transaction under an advisory lock, so silos and `ofs format` starting together do not race, a failed script
/// leaves nothing behind, and a second run changes nothing. The silo (PostgreSQL journal or membership) and
/// `ofs format --postgres` both use it.
/// </summary>
public static class PostgreSqlSchema
{
    public const string VersionTable = "ofs_schema_version";
    private const string ResourcePrefix = "OrleansFs.Sql.";
    // Any constant; it only has to differ from other advisory locks taken in the same database.
    private const long AdvisoryLockKey = 0x4F46_5353_4348_4D31; // "OFSSCHM1"

    /// <summary>Every script, in the order applied: the journal's, then Orleans' query table and providers'.</summary>
    public static IReadOnlyList<SchemaScript> Scripts { get; } = LoadScripts();

    /// <summary>Applies what is missing; returns the names of the scripts applied (none when up to date).</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(string connectionString, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await ApplyAsync(dataSource, progress, cancellationToken);
    }

    /// <inheritdoc cref="ApplyAsync(string, IProgress{string}?, CancellationToken)"/>
    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlDataSource dataSource, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection,
            $"CREATE TABLE IF NOT EXISTS {VersionTable} (script text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken);
        HashSet<string> done = await AppliedAsync(connection, cancellationToken);
        var applied = new List<string>();
        foreach (var script in Scripts)
        {
            if (done.Contains(script.Name)) continue;
            progress?.Report($"applying {script.Name}");
            await ExecuteAsync(connection, script.Text, cancellationToken);
            await using (var record = new NpgsqlCommand($"INSERT INTO {VersionTable} (script) VALUES (@script)", connection))
            {
                record.Parameters.AddWithValue("script", script.Name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            applied.Add(script.Name);
        }
        await transaction.CommitAsync(cancellationToken);
        progress?.Report(applied.Count == 0
            ? $"schema up to date ({Scripts.Count} scripts applied earlier)"
            : $"applied {applied.Count} of {Scripts.Count} scripts");
        return applied;
    }

    private static async Task<HashSet<string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT script FROM {VersionTable}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        return names;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Resources are named OrleansFs.Sql.<folder>.<file>; the journal's folder sorts before orleans.
    private static SchemaScript[] LoadScripts()
    {
        Assembly assembly = typeof(PostgreSqlSchema).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                string relative = n[ResourcePrefix.Length..];
                int dot = relative.IndexOf('.');
                return new SchemaScript($"{relative[..dot]}/{relative[(dot + 1)..]}", reader.ReadToEnd());
            })
            .ToArray();
    }
}
