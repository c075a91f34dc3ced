using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Follows the PostgreSQL journal for the warm standby: LISTENs for the writer's NOTIFY (sent in the same
/// transaction as each committed batch) and catches up with <c>WHERE seq &gt; last ORDER BY seq LIMIT n</c>, so
/// new records arrive within a round trip of their commit; the standby's poll interval stays as the safety net
/// for a lost notification or a broken LISTEN connection. Batches commit in sequence order and a stale master
/// can never commit past the fence, so the catch-up query sees a dense, final history.
/// </summary>
public sealed partial class PostgreSqlJournalTailer : IJournalTailer
{
    private static readonly TimeSpan ListenRetryDelay = TimeSpan.FromSeconds(1);
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, Task>? _ensureSchema;
    private readonly TailPosition _position = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _notified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _listening = Task.CompletedTask;

    /// <param name="ensureSchema">Creates the tables if missing; awaited before the first read.</param>
    public PostgreSqlJournalTailer(NpgsqlDataSource dataSource, ILogger logger, Func<CancellationToken, Task>? ensureSchema = null)
    {
        _dataSource = dataSource;
        _logger = logger;
        _ensureSchema = ensureSchema;
    }

    public long LastSequence => _position.LastSequence;
    public long CheckpointSequence => _position.CheckpointSequence;
    public long RecordsApplied => _position.RecordsApplied;
    public IReadOnlyDictionary<long, long> LastSequenceByEpoch => _position.LastSequenceByEpoch;

    public async Task StartAsync(Func<Stream, CancellationToken, Task> loadCheckpoint, CancellationToken cancellationToken)
    {
        if (_ensureSchema is not null) await _ensureSchema(cancellationToken);
        // Listening first: a commit between the checkpoint load and the first poll still wakes the follower.
        _listening = Task.Run(ListenAsync);
        (long checkpoint, _) = await PostgreSqlCheckpoints.LoadNewestAsync(_dataSource, loadCheckpoint, _logger, cancellationToken);
        _position.StartAt(checkpoint);
    }

    public async Task<int> PollAsync(Action<JournalRecord> apply, int maxRecords, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        IReadOnlyList<EpochInfo> epochs = await PostgreSqlJournalReader.ReadEpochsAsync(connection, cancellationToken);
        _position.CheckStillEffective(epochs);
        int applied = 0;
        try
        {
            await PostgreSqlJournalReader.ReadRecordsAsync(connection, epochs, LastSequence, dense: true, maxRecords, record =>
            {
                apply(record);
                _position.Applied(record.Sequence, record.Epoch);
                applied++;
            }, cancellationToken);
        }
        catch (FsException e) when (e.Code == FsErrorCode.JournalCorrupt)
        {
            throw new InvalidDataException(e.Message, e);
        }
        return applied;
    }

    public async Task WaitForRecordsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource notified = Volatile.Read(ref _notified);
        if (!notified.Task.IsCompleted && timeout > TimeSpan.Zero)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            await Task.WhenAny(notified.Task, Task.Delay(timeout, linked.Token));
            linked.Cancel(); // ends the delay's timer when the notification came first
            cancellationToken.ThrowIfCancellationRequested();
        }
        if (notified.Task.IsCompleted)
            Interlocked.CompareExchange(ref _notified, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), notified);
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
    }

    private async Task ListenAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(_stopping.Token);
                connection.Notification += (_, _) => Volatile.Read(ref _notified).TrySetResult();
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlGroupCommitWriter.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(_stopping.Token);
                // Anything committed while not listening is found by the next poll.
                Volatile.Read(ref _notified).TrySetResult();
                while (true) await connection.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenLost(_logger, e);
                try
                {
                    await Task.Delay(ListenRetryDelay, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 1167, Level = LogLevel.Warning, Message = "The journal follower lost its LISTEN connection; polling until it is back")]
    private static partial void LogListenLost(ILogger logger, Exception exception);
}
