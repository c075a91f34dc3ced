using Npgsql;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Epochs in the same database as the records they fence: one source of truth for the log and its fence.
/// Taking an epoch is an UPDATE of the single fence row (row-locked, so no two callers get the same epoch),
/// and the record batches check that row in their own transaction (see <see cref="PostgreSqlGroupCommitWriter"/>).
/// Every read goes to the primary, never to a cache.
/// </summary>
public sealed class PostgreSqlEpochStore : IEpochStore
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlEpochStore(NpgsqlDataSource dataSource, string location)
    {
        _dataSource = dataSource;
        Location = location;
    }

    public string Location { get; }

    public async Task<long> TakeNextAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            WITH taken AS (UPDATE ofs_journal_fence SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch)
            INSERT INTO ofs_journal_epochs (epoch) SELECT epoch FROM taken RETURNING epoch
            """;
        await using NpgsqlCommand command = _dataSource.CreateCommand(sql);
        object? epoch = await command.ExecuteScalarAsync(cancellationToken);
        return epoch is long taken
            ? taken
            : throw new InvalidOperationException($"the journal fence row is missing in {Location}; is the schema applied?");
    }

    public async Task<IReadOnlyList<EpochInfo>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await PostgreSqlJournalReader.ReadEpochsAsync(connection, cancellationToken);
    }

    public async Task SealAsync(long epoch, long lastSequence, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("UPDATE ofs_journal_epochs SET seal = $2 WHERE epoch = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = epoch });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastSequence });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            throw new InvalidOperationException($"epoch {epoch} is not in {Location}");
    }

    public async ValueTask<bool> IsSupersededAsync(long epoch, CancellationToken cancellationToken) =>
        await NewestAsync(cancellationToken) > epoch;

    /// <summary>The newest epoch taken so far (0 if none).</summary>
    public async Task<long> NewestAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT epoch FROM ofs_journal_fence WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }
}
