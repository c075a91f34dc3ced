using System.Collections.Concurrent;
using OrleansFs.Errors;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>Two masters on one journal, on each backend: the newer fences the older and keeps everything it acknowledged.</summary>
public abstract class FencingContractTests
{
    protected abstract Task<JournalBackend> NewBackendAsync();

    [Fact]
    public async Task A_newer_master_fences_the_older_and_sees_everything_it_acknowledged()
    {
        await using var backend = await NewBackendAsync();
        var (older, _, olderRecovery) = await backend.RecoverAsync();
        await using var _o = older;
        await JournalBackend.AppendAsync(older, JournalHarness.Texts(1, 10));

        var (newer, newerState, newerRecovery) = await backend.RecoverAsync();
        await using var _n = newer;

        Assert.True(newerRecovery.Epoch > olderRecovery.Epoch);
        Assert.Equal(JournalHarness.Texts(1, 10), newerState.Entries);
        var fenced = await Assert.ThrowsAsync<FsException>(() => older.Append(JournalTestState.RecordType, JournalTestState.Payload("stale")));
        Assert.Equal(FsErrorCode.Fenced, fenced.Code);
        var refused = await Assert.ThrowsAsync<FsException>(() => older.Append(JournalTestState.RecordType, JournalTestState.Payload("stale again")));
        Assert.Equal(FsErrorCode.Fenced, refused.Code);
        Assert.Equal(11, await newer.Append(JournalTestState.RecordType, JournalTestState.Payload("from newer")));
        Assert.Equal([.. JournalHarness.Texts(1, 10), "from newer"],
            (await backend.ReadAllAsync()).Select(r => System.Text.Encoding.UTF8.GetString(r.Payload.Span)));
    }

    [Fact]
    public async Task The_epoch_check_that_renews_the_master_lease_sees_a_newer_master()
    {
        await using var backend = await NewBackendAsync();
        var (older, _, _) = await backend.RecoverAsync();
        await using var _o = older;
        bool currentAlone = await older.IsEpochCurrentAsync(CancellationToken.None);

        var (newer, _, _) = await backend.RecoverAsync();
        await using var _n = newer;

        Assert.True(currentAlone);
        Assert.False(await older.IsEpochCurrentAsync(CancellationToken.None));
        Assert.True(await newer.IsEpochCurrentAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Under_concurrent_appends_every_acknowledged_record_survives_the_takeover()
    {
        await using var backend = await NewBackendAsync();
        var (older, _, _) = await backend.RecoverAsync();
        await using var _o = older;
        var acknowledged = new ConcurrentDictionary<long, string>();
        using var enoughWritten = new SemaphoreSlim(0);
        var writers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; ; i++)
            {
                string text = $"w{worker}-{i}";
                try
                {
                    acknowledged[await older.Append(JournalTestState.RecordType, JournalTestState.Payload(text))] = text;
                }
                catch (FsException e) when (e.Code == FsErrorCode.Fenced)
                {
                    return;
                }
                if (i == 20) enoughWritten.Release();
            }
        })).ToArray();
        for (int i = 0; i < writers.Length; i++) await enoughWritten.WaitAsync();

        var (newer, state, _) = await backend.RecoverAsync();
        await using var _n = newer;
        await Task.WhenAll(writers);

        var recovered = state.Sequences.Zip(state.Entries).ToDictionary(p => p.First, p => p.Second);
        Assert.NotEmpty(acknowledged);
        foreach (var (sequence, text) in acknowledged)
            Assert.Equal(text, recovered.GetValueOrDefault(sequence));
        Assert.Equal(Enumerable.Range(1, state.Sequences.Count).Select(i => (long)i), state.Sequences);
        // Nothing the fenced master wrote after the takeover is in the effective history.
        Assert.Equal(state.Sequences.Count, (await backend.ReadAllAsync()).Count);
    }

    [Fact]
    public async Task A_fenced_master_cannot_write_a_checkpoint()
    {
        await using var backend = await NewBackendAsync();
        var (older, _, _) = await backend.RecoverAsync();
        await using var _o = older;
        await older.Append(JournalTestState.RecordType, JournalTestState.Payload("a"));
        var (newer, _, _) = await backend.RecoverAsync();
        await using var _n = newer;

        var error = await Assert.ThrowsAsync<FsException>(() =>
            older.WriteCheckpointAsync(1, JournalTestState.Snapshot(["a"]), CancellationToken.None));
        Assert.Equal(FsErrorCode.Fenced, error.Code);
        Assert.Empty(await backend.CheckpointsAsync());
    }

    [Fact]
    public async Task Epochs_are_taken_exclusively_even_when_masters_race()
    {
        await using var backend = await NewBackendAsync();
        var journals = Enumerable.Range(0, 6).Select(_ => backend.Open()).ToArray();
        await Task.WhenAll(journals.Select(j => Task.Run(async () =>
        {
            try
            {
                await j.RecoverAsync(new JournalTestState().LoadCheckpointAsync, _ => { }, CancellationToken.None);
            }
            catch (FsException e) when (e.Code == FsErrorCode.Fenced)
            {
                // Superseded while recovering: expected for all but the newest.
            }
        })));

        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), journals.Select(j => j.Epoch).Order());
        foreach (var journal in journals) await journal.DisposeAsync();
    }
}
