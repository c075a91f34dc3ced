using OrleansFs.Files;
using OrleansFs.Grains.Master.Checkpoints;
using OrleansFs.Grains.Master.Cleanup;
using OrleansFs.Paths;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Cleanup;

/// <summary>Which deletes and renames leave work for the under-storage and the workers, and how it survives a restart.</summary>
public sealed class CleanupTaskTests
{
    private static async Task CreateAsync(TestMaster m, string path, long length, PersistenceState state, WriteType writeType = WriteType.AsyncThrough)
    {
        await m.Service.CreateFile(path, new CreateFileOptions { BlockSizeBytes = 100, WriteType = writeType, Recursive = true }, Guid.NewGuid());
        await m.Service.CompleteFile(path, length, Guid.NewGuid());
        if (state != PersistenceState.NotPersisted)
            await m.Service.SetAttribute(path, new SetAttributeOptions { PersistenceState = state }, Guid.NewGuid());
    }

    [Fact]
    public async Task Deleting_a_persisted_file_records_its_under_storage_path_and_every_block()
    {
        await using var m = await TestMaster.StartAsync();
        await CreateAsync(m, "/a/f", 250, PersistenceState.Persisted);
        var inode = m.Service.GetStatus("/a/f");
        var deleteId = Guid.NewGuid();

        await m.Service.Delete("/a/f", recursive: false, deleteId);

        var task = Assert.Single(m.Service.State.Cleanups);
        Assert.Equal((deleteId, CleanupKind.Delete, "/a/f", (string?)null), (task.Id, task.Kind, task.Path, task.Destination));
        Assert.Equal(inode.BlockIds, task.BlockIds);
        Assert.Equal(3, task.BlockIds.Length);
    }

    [Fact]
    public async Task Deleting_a_memory_only_file_drops_its_blocks_but_leaves_the_under_storage_alone()
    {
        await using var m = await TestMaster.StartAsync();
        await CreateAsync(m, "/f", 150, PersistenceState.NotPersisted, WriteType.MustCache);

        await m.Service.Delete("/f", recursive: false, Guid.NewGuid());

        var task = Assert.Single(m.Service.State.Cleanups);
        Assert.Equal(CleanupKind.DropBlocks, task.Kind);
        Assert.Null(task.Path);
        Assert.Equal(2, task.BlockIds.Length);
    }

    [Fact]
    public async Task Deleting_an_empty_memory_only_file_leaves_nothing_to_do()
    {
        await using var m = await TestMaster.StartAsync();
        await m.Service.CreateFile("/empty", new CreateFileOptions { WriteType = WriteType.MustCache }, Guid.NewGuid());
        await m.Service.CompleteFile("/empty", 0, Guid.NewGuid());

        await m.Service.Delete("/empty", recursive: false, Guid.NewGuid());

        Assert.Empty(m.Service.State.Cleanups);
    }

    [Fact]
    public async Task Deleting_a_tree_records_the_tree_root_and_the_blocks_of_every_file_below()
    {
        await using var m = await TestMaster.StartAsync();
        await CreateAsync(m, "/t/x/one", 100, PersistenceState.Persisted);
        await CreateAsync(m, "/t/two", 201, PersistenceState.ToBePersisted);

        await m.Service.Delete("/t", recursive: true, Guid.NewGuid());

        var task = Assert.Single(m.Service.State.Cleanups);
        Assert.Equal((CleanupKind.Delete, "/t"), (task.Kind, task.Path));
        Assert.Equal(4, task.BlockIds.Length);
    }

    [Fact]
    public async Task Renaming_records_both_ends_unless_the_file_never_reached_the_under_storage()
    {
        await using var m = await TestMaster.StartAsync();
        await CreateAsync(m, "/p", 10, PersistenceState.Persisted);
        await CreateAsync(m, "/memory", 10, PersistenceState.NotPersisted, WriteType.MustCache);

        var renameId = Guid.NewGuid();
        await m.Service.Rename("/p", "/q", renameId);
        await m.Service.Rename("/memory", "/elsewhere", Guid.NewGuid());

        var task = Assert.Single(m.Service.State.Cleanups);
        Assert.Equal((renameId, CleanupKind.Rename, "/p", "/q"), (task.Id, task.Kind, task.Path, task.Destination));
        Assert.Empty(task.BlockIds);
    }

    [Fact]
    public async Task Overwriting_a_file_drops_the_old_blocks_only()
    {
        await using var m = await TestMaster.StartAsync();
        await CreateAsync(m, "/o", 300, PersistenceState.Persisted);
        var old = m.Service.GetStatus("/o");

        await m.Service.CreateFile("/o", new CreateFileOptions { BlockSizeBytes = 100, Overwrite = true }, Guid.NewGuid());

        var task = Assert.Single(m.Service.State.Cleanups);
        Assert.Equal(CleanupKind.DropBlocks, task.Kind);
        Assert.Null(task.Path);
        Assert.Equal(old.BlockIds, task.BlockIds);
    }

    [Fact]
    public async Task Pending_tasks_survive_a_restart_from_the_log_and_from_a_checkpoint_and_done_ones_do_not()
    {
        var first = await TestMaster.StartAsync();
        await CreateAsync(first, "/a", 100, PersistenceState.Persisted);
        await CreateAsync(first, "/b", 100, PersistenceState.Persisted);
        await first.Service.Delete("/a", false, Guid.NewGuid());
        await first.Service.Rename("/b", "/c", Guid.NewGuid());
        await first.Service.CompleteCleanups([first.Service.State.Cleanups[0].Id]);
        var pending = first.Service.State.Cleanups;

        var replayed = await first.RestartAsync();
        Assert.Equal(pending, replayed.Service.State.Cleanups, TaskComparer.Instance);

        await replayed.Service.CheckpointAsync();
        await using var fromCheckpoint = await replayed.RestartAsync();
        Assert.Equal(pending, fromCheckpoint.Service.State.Cleanups, TaskComparer.Instance);
        Assert.Equal("/b", Assert.Single(fromCheckpoint.Service.State.Cleanups).Path);
    }

    [Fact]
    public async Task A_checkpoint_round_trips_pending_tasks_in_order()
    {
        await using var m = await TestMaster.StartAsync();
        for (int i = 0; i < 5; i++)
        {
            await CreateAsync(m, $"/d/f{i}", 1000, PersistenceState.Persisted);
            await m.Service.Delete($"/d/f{i}", false, Guid.NewGuid());
        }
        var stream = new MemoryStream();
        CheckpointCodec.Write(m.Service.State, m.Service.Retry.Snapshot(), stream);

        var (state, _) = CheckpointCodec.Read(new MemoryStream(stream.ToArray()));

        Assert.Equal(m.Service.State.Cleanups, state.Cleanups, TaskComparer.Instance);
        Assert.Equal(["/d/f0", "/d/f1", "/d/f2", "/d/f3", "/d/f4"], state.Cleanups.Select(t => t.Path));
    }

    [Theory]
    [InlineData("/a", true)]
    [InlineData("/a/b/c", true)]
    [InlineData("/ab", false)]
    [InlineData("/", false)]
    [InlineData("/z/y", true)]
    [InlineData("/z", false)]
    public void A_rename_touches_paths_at_or_below_either_end(string path, bool touches)
    {
        var task = new CleanupTask(Guid.NewGuid(), CleanupKind.Rename, "/a", "/z/y", []);
        Assert.Equal(touches, task.Touches(FsPath.Parse(path)));
    }

    private sealed class TaskComparer : IEqualityComparer<CleanupTask>
    {
        public static readonly TaskComparer Instance = new();
        public bool Equals(CleanupTask? x, CleanupTask? y) =>
            x is not null && y is not null && x with { BlockIds = [] } == y with { BlockIds = [] } && x.BlockIds.SequenceEqual(y.BlockIds);
        public int GetHashCode(CleanupTask obj) => obj.Id.GetHashCode();
    }
}
