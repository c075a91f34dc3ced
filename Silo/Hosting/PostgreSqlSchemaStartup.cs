using Microsoft.Extensions.Options;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal.PostgreSql;
using OrleansFs.Schema;

namespace OrleansFs.Silo.Hosting;

/// <summary>
/// Applies the PostgreSQL schema (journal, Orleans queries and tables) before the membership table is first read,
/// when membership or the journal is PostgreSQL: the ADO.NET clustering provider reads its queries from
/// <c>OrleansQuery</c> as it initialises, so a fresh database must have them first. Idempotent and under an
/// advisory lock (<see cref="PostgreSqlSchema"/>), so silos starting together are safe. With only the journal in
/// PostgreSQL a failure does not stop the silo: the journal applies the schema again at its first use, retrying
/// while the database is unreachable, as it would without this.
/// </summary>
internal sealed partial class PostgreSqlSchemaStartup(
    IOptions<PostgreSqlOptions> options, IOptions<OrleansFsClusterOptions> cluster, ILogger<PostgreSqlSchemaStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgreSqlSchemaStartup), ServiceLifecycleStage.RuntimeInitialize - 1, ApplyAsync);

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        string connectionString = options.Value.ConnectionString;
        string location = PostgreSqlJournalReader.LocationOf(connectionString);
        try
        {
            var applied = await PostgreSqlSchema.ApplyAsync(connectionString, progress: null, cancellationToken);
            if (applied.Count > 0) LogApplied(logger, string.Join(", ", applied), location);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (cluster.Value.ParsedMembership != MembershipKind.PostgreSql)
            {
                LogDeferred(logger, e, location);
                return;
            }
            LogFailed(logger, e, location);
            throw;
        }
    }

    [LoggerMessage(EventId = 1920, Level = LogLevel.Information, Message = "Applied PostgreSQL schema scripts {Scripts} at {Location}")]
    private static partial void LogApplied(ILogger logger, string scripts, string location);

    [LoggerMessage(EventId = 1922, Level = LogLevel.Warning,
        Message = "Could not apply the PostgreSQL schema at {Location} at start-up; the journal tries again at its first use")]
    private static partial void LogDeferred(ILogger logger, Exception exception, string location);

    [LoggerMessage(EventId = 1921, Level = LogLevel.Critical, Message = "Could not apply the PostgreSQL schema at {Location}; the silo cannot start")]
    private static partial void LogFailed(ILogger logger, Exception exception, string location);
}
