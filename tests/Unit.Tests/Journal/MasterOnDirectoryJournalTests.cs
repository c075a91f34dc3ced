using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// The real master logic on the real directory journal (the pairing the silo runs): what one master
/// acknowledged, the next one recovers, through checkpoints and takeovers.
/// </summary>
public class MasterOnDirectoryJournalTests
{
    private static MasterService NewMaster(JournalHarness harness, long checkpointRecords = 200_000)
    {
        var journalOptions = new JournalOptions { Directory = harness.Directory, CheckpointRecords = checkpointRecords };
        var journal = new DirectoryJournal(journalOptions, NullLogger<DirectoryJournal>.Instance);
        return new MasterService(journal, new MasterOptions(), journalOptions, TimeProvider.System, null, NullLogger.Instance);
    }

    private static async Task<MasterService> StartMaster(JournalHarness harness, long checkpointRecords = 200_000)
    {
        var master = NewMaster(harness, checkpointRecords);
        await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
        return master;
    }

    internal static string[] Namespace(MasterService master) => master.ListStatus("/", recursive: true)
        .Select(s => $"{s.Path} {(s.IsDirectory ? "dir" : $"file {s.Length} {s.Completed}")} {s.InodeId}")
        .Order()
        .ToArray();

    [Fact]
    public async Task A_new_master_recovers_exactly_the_namespace_the_old_one_acknowledged_across_a_checkpoint()
    {
        using var harness = new JournalHarness();
        string[] before;
        await using (var master = await StartMaster(harness))
        {
            await master.CreateDirectory("/a/b/c", recursive: true, Guid.NewGuid());
            await master.CreateFile("/a/b/f1", new CreateFileOptions(), Guid.NewGuid());
            await master.CompleteFile("/a/b/f1", 1234, Guid.NewGuid());
            await master.CheckpointAsync();
            await master.Rename("/a/b", "/a/moved", Guid.NewGuid());
            await master.CreateFile("/a/moved/f2", new CreateFileOptions(), Guid.NewGuid());
            await master.Delete("/a/moved/c", recursive: false, Guid.NewGuid());
            before = Namespace(master);
        }

        await using var next = await StartMaster(harness);
        Assert.Equal(before, Namespace(next));
        Assert.True(next.GetInfo().LastCheckpointSequence > 0);
        Assert.Single(harness.CheckpointFiles());
    }

    [Fact]
    public async Task Concurrent_mutations_share_flushes_and_all_survive_with_automatic_checkpoints()
    {
        using var harness = new JournalHarness();
        string[] before;
        await using (var master = await StartMaster(harness, checkpointRecords: 100))
        {
            await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
                master.CreateFile($"/dir{i % 7}/file{i}", new CreateFileOptions(), Guid.NewGuid())));
            await master.CheckpointAsync();
            before = Namespace(master);
            Assert.True(master.Journal.Stats.Flushes < 400, $"{master.Journal.Stats.Flushes} flushes for 400+ records");
        }

        await using var next = await StartMaster(harness);
        Assert.Equal(before, Namespace(next));
        Assert.Equal(407, next.ListStatus("/", recursive: true).Count);
    }

    [Fact]
    public async Task A_stale_master_is_fenced_and_the_new_one_keeps_what_it_acknowledged()
    {
        using var harness = new JournalHarness();
        await using var stale = await StartMaster(harness);
        await stale.CreateDirectory("/kept", recursive: false, Guid.NewGuid());

        await using var current = await StartMaster(harness);
        var refused = await Assert.ThrowsAsync<FsException>(() => stale.CreateDirectory("/lost", recursive: false, Guid.NewGuid()));
        Assert.Equal(FsErrorCode.Unavailable, refused.Code);
        await current.CreateDirectory("/after", recursive: false, Guid.NewGuid());

        await using var third = await StartMaster(harness);
        Assert.Equal(["/after", "/kept"], third.ListStatus("/", recursive: true).Select(s => s.Path).Order());
    }
}
