using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Journal.PostgreSql;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The PostgreSQL journal as a <see cref="JournalBackend"/>, in a fresh schema of the shared test server.</summary>
public sealed class PostgreSqlJournalBackend : JournalBackend
{
    private readonly PostgreSqlJournalFactory _factory;

    private PostgreSqlJournalBackend(string connectionString)
    {
        ConnectionString = connectionString;
        _factory = new PostgreSqlJournalFactory(Options.Create(new PostgreSqlOptions { ConnectionString = connectionString }),
            NullLoggerFactory.Instance);
    }

    public static async Task<PostgreSqlJournalBackend> CreateAsync(PostgreSqlFixture server) =>
        new(await server.Server.CreateSchemaAsync());

    /// <summary>A journal in an existing database, emptied first (cheaper than a new database, for many short runs).</summary>
    public static async Task<PostgreSqlJournalBackend> EmptiedAsync(string connectionString)
    {
        var backend = new PostgreSqlJournalBackend(connectionString);
        if (await backend.ScalarAsync("SELECT to_regclass('ofs_journal_fence')::text") is not null)
            await backend.ExecuteAsync("""
                TRUNCATE ofs_journal_records, ofs_journal_epochs, ofs_journal_checkpoints, ofs_journal_checkpoint_chunks;
                UPDATE ofs_journal_fence SET epoch = 0
                """);
        return backend;
    }

    public override string Kind => "PostgreSql";
    public string ConnectionString { get; }
    public PostgreSqlJournalFactory Factory => _factory;

    public override IJournal Open() => _factory.Create();

    public override IJournalTailer Tailer() => _factory.CreateTailer();

    public override async Task<IReadOnlyList<JournalRecord>> ReadAllAsync()
    {
        await using var connection = await OpenAsync();
        return await PostgreSqlJournalReader.ReadAllAsync(connection, CancellationToken.None);
    }

    public override async Task<IReadOnlyList<long>> CheckpointsAsync()
    {
        await using var connection = await OpenAsync();
        return (await PostgreSqlJournalReader.ReadCheckpointsAsync(connection, CancellationToken.None)).Select(c => c.Sequence).ToList();
    }

    public override async Task<long> OldestStoredSequenceAsync() => (long)(await ScalarAsync("SELECT min(seq) FROM ofs_journal_records"))!;

    public override Task DamageCheckpointAsync(long sequence) => ExecuteAsync(
        $"UPDATE ofs_journal_checkpoint_chunks SET data = set_byte(data, 1, get_byte(data, 1) # 90) WHERE seq = {sequence} AND chunk = 0");

    public override async Task<string> DamageRecordAsync(long sequence)
    {
        await ExecuteAsync($"UPDATE ofs_journal_records SET payload = set_byte(payload, 0, get_byte(payload, 0) # 90) WHERE seq = {sequence}");
        return $"damaged at sequence {sequence}";
    }

    /// <summary>The rows of a batch inserted, then the connection dropped before COMMIT: what a crash mid-batch leaves.</summary>
    public override async Task CrashMidBatchAsync(long firstSequence, long epoch)
    {
        var connection = await OpenAsync();
        _ = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO ofs_journal_records (seq, epoch, type, crc, payload) VALUES ({firstSequence}, {epoch}, 7, 0, '\\x00'::bytea), ({firstSequence + 1}, {epoch}, 7, 0, '\\x00'::bytea)",
            connection))
            await insert.ExecuteNonQueryAsync();
        await using (var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pg_backend_pid())", connection))
        {
            try
            {
                await kill.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The server ended this session mid-transaction: nothing of it was committed.
            }
        }
        await connection.DisposeAsync();
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        object? value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
    }
}
