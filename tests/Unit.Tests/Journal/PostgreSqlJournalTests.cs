using System.Diagnostics;
using System.Text;
using Npgsql;
using OrleansFs.Errors;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Journal.PostgreSql;
using OrleansFs.Schema;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>What only the PostgreSQL journal has: its fence inside the batch transaction, NOTIFY, its schema, its tables.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlJournalTests(PostgreSqlFixture postgres)
{
    [Fact]
    public async Task A_master_paused_between_append_and_commit_is_fenced_and_its_record_never_reaches_the_table()
    {
        await using var backend = await PostgreSqlJournalBackend.CreateAsync(postgres);
        var (stale, _, _) = await backend.RecoverAsync();
        await using var _s = stale;
        Assert.Equal(1, await stale.Append(JournalTestState.RecordType, JournalTestState.Payload("acknowledged")));

        // Hold the stale master's next batch inside its INSERT statement, as a process pause would, until a
        // newer master has recovered: a table lock that blocks writers but not readers.
        await using var pause = await backend.OpenAsync();
        await using var pauseTransaction = await pause.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE ofs_journal_records IN EXCLUSIVE MODE", pause))
            await lockTable.ExecuteNonQueryAsync();
        Task<long> inFlight = stale.Append(JournalTestState.RecordType, JournalTestState.Payload("stale"));
        await WaitUntilBlockedAsync(backend);

        var (current, state, recovery) = await backend.RecoverAsync();
        await using var _c = current;
        await pauseTransaction.CommitAsync();

        var fenced = await Assert.ThrowsAsync<FsException>(() => inFlight);
        Assert.Equal(FsErrorCode.Fenced, fenced.Code);
        Assert.Equal(["acknowledged"], state.Entries);
        Assert.Equal(1, recovery.LastSequence);
        Assert.Equal(0L, await backend.ScalarAsync("SELECT count(*) FROM ofs_journal_records WHERE payload = convert_to('stale', 'UTF8')"));
        Assert.Equal(1L, await backend.ScalarAsync("SELECT max(seq) FROM ofs_journal_records"));
        Assert.Equal(2, await current.Append(JournalTestState.RecordType, JournalTestState.Payload("from the new master")));
    }

    [Fact]
    public async Task A_journal_that_cannot_reach_PostgreSQL_fails_recovery_as_Unavailable_naming_it()
    {
        // Nothing listens there: the master's activation fails with this, and the client retries it as it would a
        // master in transit; an Npgsql exception would not even cross to the client.
        string unreachable = $"Host=127.0.0.1;Port={OrleansFs.TestSupport.FreePort.Next()};Username=postgres;Database=postgres;Timeout=2";
        await using var factory = new PostgreSqlJournalFactory(
            Microsoft.Extensions.Options.Options.Create(new PostgreSqlOptions { ConnectionString = unreachable }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using var journal = factory.Create();

        var failure = await Assert.ThrowsAsync<FsException>(() =>
            journal.RecoverAsync((_, _) => Task.CompletedTask, _ => { }, CancellationToken.None));

        Assert.Equal(FsErrorCode.Unavailable, failure.Code);
        Assert.Contains("cannot reach the PostgreSQL journal at postgresql://127.0.0.1:", failure.Message);
    }

    [Fact]
    public async Task A_follower_is_woken_by_the_commit_notification_long_before_its_poll_interval()
    {
        await using var backend = await PostgreSqlJournalBackend.CreateAsync(postgres);
        var (journal, _, _) = await backend.RecoverAsync();
        await using var _j = journal;
        using var tailer = backend.Tailer();
        var followed = new JournalTestState();
        await tailer.StartAsync(followed.LoadCheckpointAsync, CancellationToken.None);
        await tailer.PollAsync(followed.Apply, 100, CancellationToken.None);
        // The first wait may return at once (a catch-up signal when LISTEN starts); drain it.
        await tailer.WaitForRecordsAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);

        var clock = Stopwatch.StartNew();
        Task waiting = tailer.WaitForRecordsAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await journal.Append(JournalTestState.RecordType, JournalTestState.Payload("announced"));
        await waiting;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"woken after {clock.Elapsed}, not by the notification");
        Assert.Equal(1, await tailer.PollAsync(followed.Apply, 100, CancellationToken.None));
        Assert.Equal(["announced"], followed.Entries);
    }

    [Fact]
    public async Task The_schema_is_created_once_and_applying_it_again_changes_nothing()
    {
        await using var backend = await PostgreSqlJournalBackend.CreateAsync(postgres);
        await backend.WriteAsync("kept");
        await using (var dataSource = NpgsqlDataSource.Create(backend.ConnectionString))
            Assert.Empty(await PostgreSqlSchema.ApplyAsync(dataSource, progress: null, CancellationToken.None));

        Assert.Equal((long)PostgreSqlSchema.Scripts.Count, await backend.ScalarAsync("SELECT count(*) FROM ofs_schema_version"));
        Assert.Equal(1L, await backend.ScalarAsync("SELECT count(*) FROM ofs_schema_version WHERE script = 'journal/001_journal.sql'"));
        var (journal, state, _) = await backend.RecoverAsync();
        await using var _ = journal;
        Assert.Equal(["kept"], state.Entries);
    }

    [Fact]
    public async Task An_operator_can_read_the_journal_with_plain_sql()
    {
        await using var backend = await PostgreSqlJournalBackend.CreateAsync(postgres);
        await backend.WriteAsync("one", "two");
        await backend.WriteAsync("three");

        await using var connection = await backend.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT r.seq, r.epoch, convert_from(r.payload, 'UTF8'), e.seal FROM ofs_journal_records r JOIN ofs_journal_epochs e USING (epoch) ORDER BY r.seq",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add($"{reader.GetInt64(0)} {reader.GetInt64(1)} {reader.GetString(2)} {(reader.IsDBNull(3) ? "-" : reader.GetInt64(3))}");

        Assert.Equal(["1 1 one 0", "2 1 two 0", "3 2 three 2"], rows);
    }

    [Fact]
    public async Task A_gap_in_the_sequences_stops_recovery_naming_the_missing_ones()
    {
        await using var backend = await PostgreSqlJournalBackend.CreateAsync(postgres);
        await backend.WriteAsync(JournalHarness.Texts(1, 6));
        await backend.ExecuteAsync("DELETE FROM ofs_journal_records WHERE seq IN (3, 4)");

        var journal = backend.Open();
        await using var _ = journal;
        var error = await Assert.ThrowsAsync<FsException>(() =>
            journal.RecoverAsync(new JournalTestState().LoadCheckpointAsync, new JournalTestState().Apply, CancellationToken.None));

        Assert.Equal(FsErrorCode.JournalCorrupt, error.Code);
        Assert.Contains("damaged at sequence 3: records 3..4 are missing", error.Message);
    }

    [Fact]
    public async Task The_dump_reader_gives_the_effective_history_with_epochs_and_checkpoints()
    {
        await using var backend = await PostgreSqlJournalBackend.CreateAsync(postgres);
        var (journal, _, _) = await backend.RecoverAsync();
        await using (journal)
        {
            await JournalBackend.AppendAsync(journal, ["a", "b"]);
            await journal.WriteCheckpointAsync(2, JournalTestState.Snapshot(["a", "b"]), CancellationToken.None);
        }
        await backend.WriteAsync("c");

        await using var connection = await backend.OpenAsync();
        var records = await PostgreSqlJournalReader.ReadAllAsync(connection, CancellationToken.None);
        var epochs = await PostgreSqlJournalReader.ReadEpochsAsync(connection, CancellationToken.None);
        var checkpoints = await PostgreSqlJournalReader.ReadCheckpointsAsync(connection, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], records.Select(r => Encoding.UTF8.GetString(r.Payload.Span)));
        Assert.Equal([new EpochInfo(1, 0), new EpochInfo(2, 2)], epochs);
        Assert.Equal((2L, (string?)null), (checkpoints.Single().Sequence, checkpoints.Single().Problem));
    }

    /// <summary>Until a session of this database waits for a lock (the stale master's INSERT).</summary>
    private static async Task WaitUntilBlockedAsync(PostgreSqlJournalBackend backend)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if ((long)(await backend.ScalarAsync(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))! > 0)
                return;
            await Task.Delay(20);
        }
        throw new TimeoutException("the stale master's batch never reached the database");
    }
}
