using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Inodes;

namespace OrleansFs.Tests.Master;

/// <summary>The inode tree operations through the master's API, over the in-memory journal.</summary>
public sealed class NamespaceOperationTests : IAsyncLifetime
{
    private TestMaster _m = null!;

    public async Task InitializeAsync() => _m = await TestMaster.StartAsync();
    public async Task DisposeAsync() => await _m.DisposeAsync();

    private static Guid Id() => Guid.NewGuid();

    [Fact]
    public async Task Mkdir_with_parents_creates_every_missing_directory()
    {
        var status = await _m.Service.CreateDirectory("/a/b/c", recursive: true, Id());

        Assert.True(status.IsDirectory);
        Assert.Equal("/a/b/c", status.Path);
        Assert.Equal("c", status.Name);
        Assert.True(_m.Service.GetStatus("/a").IsDirectory);
        Assert.True(_m.Service.GetStatus("/a/b").IsDirectory);
        Assert.Equal(4, _m.Service.GetInfo().DirectoryCount);
    }

    [Fact]
    public async Task Mkdir_with_parents_on_an_existing_directory_succeeds_and_changes_nothing()
    {
        await _m.Service.CreateDirectory("/a", recursive: false, Id());
        string before = NamespaceDumpWithoutRetry();

        var status = await _m.Service.CreateDirectory("/a", recursive: true, Id());

        Assert.Equal("/a", status.Path);
        Assert.Equal(before, NamespaceDumpWithoutRetry());
    }

    [Fact]
    public async Task Create_then_complete_file_computes_block_ids_from_length_and_block_size()
    {
        var created = await _m.Service.CreateFile("/dir/f", new CreateFileOptions { BlockSizeBytes = 100, Pinned = true, WriteType = WriteType.CacheThrough }, Id());
        Assert.False(created.Completed);
        Assert.Empty(created.BlockIds);
        Assert.True(_m.Service.GetStatus("/dir").IsDirectory);

        var done = await _m.Service.CompleteFile("/dir/f", 250, Id());

        Assert.True(done.Completed);
        Assert.Equal(250, done.Length);
        Assert.Equal(new[] { created.InodeId << 24, created.InodeId << 24 | 1, created.InodeId << 24 | 2 }, done.BlockIds);
        Assert.True(done.Pinned);
        Assert.Equal(WriteType.CacheThrough, done.WriteType);
        Assert.Equal(done, _m.Service.GetStatus("/dir/f") with { BlockIds = done.BlockIds });
        Assert.Equal(done.BlockIds, _m.Service.GetStatus("/dir/f").BlockIds);
    }

    [Fact]
    public async Task Create_with_overwrite_replaces_the_file_with_a_new_inode()
    {
        var first = await _m.Service.CreateFile("/f", new CreateFileOptions(), Id());
        await _m.Service.CompleteFile("/f", 10, Id());

        var second = await _m.Service.CreateFile("/f", new CreateFileOptions { Overwrite = true }, Id());

        Assert.NotEqual(first.InodeId, second.InodeId);
        Assert.False(_m.Service.GetStatus("/f").Completed);
        Assert.Equal(1, _m.Service.GetInfo().FileCount);
    }

    [Fact]
    public async Task List_is_sorted_by_name_and_recursive_list_follows_each_directory_with_its_contents()
    {
        foreach (var path in new[] { "/d/z", "/d/a/2", "/d/a/1", "/d/m" })
            await _m.Service.CreateFile(path, new CreateFileOptions(), Id());

        var flat = _m.Service.ListStatus("/d", recursive: false).Select(s => s.Path);
        var deep = _m.Service.ListStatus("/d", recursive: true).Select(s => s.Path);

        Assert.Equal(new[] { "/d/a", "/d/m", "/d/z" }, flat);
        Assert.Equal(new[] { "/d/a", "/d/a/1", "/d/a/2", "/d/m", "/d/z" }, deep);
        Assert.Equal(new[] { "/d/m" }, _m.Service.ListStatus("/d/m", false).Select(s => s.Path));
        Assert.Equal(3, _m.Service.GetStatus("/d").ChildCount);
    }

    [Fact]
    public async Task Recursive_delete_removes_the_whole_subtree()
    {
        await _m.Service.CreateFile("/d/e/f", new CreateFileOptions(), Id());
        await _m.Service.CreateFile("/keep", new CreateFileOptions(), Id());

        await _m.Service.Delete("/d", recursive: true, Id());

        Assert.Equal(new[] { "/keep" }, _m.Service.ListStatus("/", true).Select(s => s.Path));
        Assert.Equal(1, _m.Service.GetInfo().FileCount);
        Assert.Equal(1, _m.Service.GetInfo().DirectoryCount);
        Assert.Equal(2, _m.Service.State.Inodes.Count);
    }

    [Fact]
    public async Task Delete_of_an_empty_directory_and_of_a_file_need_no_recursive_flag()
    {
        await _m.Service.CreateDirectory("/empty", false, Id());
        await _m.Service.CreateFile("/f", new CreateFileOptions(), Id());

        await _m.Service.Delete("/empty", false, Id());
        await _m.Service.Delete("/f", false, Id());

        Assert.Empty(_m.Service.ListStatus("/", false));
    }

    [Fact]
    public async Task Rename_of_a_directory_moves_its_subtree_and_keeps_inode_ids()
    {
        var file = await _m.Service.CreateFile("/a/b/f", new CreateFileOptions(), Id());
        await _m.Service.CreateDirectory("/x", false, Id());

        await _m.Service.Rename("/a/b", "/x/c", Id());

        Assert.Equal(file.InodeId, _m.Service.GetStatus("/x/c/f").InodeId);
        Assert.Equal(FsErrorCode.NotFound, Assert.Throws<FsException>(() => _m.Service.GetStatus("/a/b")).Code);
        Assert.Equal(0, _m.Service.GetStatus("/a").ChildCount);
    }

    [Fact]
    public async Task Rename_within_one_directory_changes_only_the_name()
    {
        var file = await _m.Service.CreateFile("/d/old", new CreateFileOptions(), Id());

        await _m.Service.Rename("/d/old", "/d/new", Id());

        Assert.Equal(new[] { "/d/new" }, _m.Service.ListStatus("/d", false).Select(s => s.Path));
        Assert.Equal(file.InodeId, _m.Service.GetStatus("/d/new").InodeId);
    }

    [Fact]
    public async Task Recursive_set_attribute_reaches_every_inode_below()
    {
        await _m.Service.CreateFile("/d/e/f", new CreateFileOptions(), Id());

        var status = await _m.Service.SetAttribute("/d", new SetAttributeOptions { Pinned = true, TtlMs = 5000, TtlAction = TtlAction.Free, Recursive = true }, Id());

        Assert.True(status.Pinned);
        foreach (var path in new[] { "/d", "/d/e", "/d/e/f" })
        {
            var s = _m.Service.GetStatus(path);
            Assert.True(s.Pinned, path);
            Assert.Equal(5000, s.TtlMs);
            Assert.Equal(TtlAction.Free, s.TtlAction);
        }
        Assert.False(_m.Service.GetStatus("/").Pinned);
    }

    [Fact]
    public async Task Set_attribute_without_recursive_changes_only_the_target_and_leaves_unset_fields()
    {
        await _m.Service.CreateFile("/d/f", new CreateFileOptions { Pinned = true }, Id());

        await _m.Service.SetAttribute("/d", new SetAttributeOptions { PersistenceState = PersistenceState.Persisted }, Id());

        Assert.Equal(PersistenceState.Persisted, _m.Service.GetStatus("/d").PersistenceState);
        Assert.Equal(PersistenceState.NotPersisted, _m.Service.GetStatus("/d/f").PersistenceState);
        Assert.True(_m.Service.GetStatus("/d/f").Pinned);
    }

    [Fact]
    public async Task Creating_a_child_updates_the_parent_modification_time()
    {
        await _m.Service.CreateDirectory("/d", false, Id());
        var before = _m.Service.GetStatus("/d").LastModificationTime;
        _m.Clock.Advance(TimeSpan.FromSeconds(3));

        await _m.Service.CreateFile("/d/f", new CreateFileOptions(), Id());

        Assert.Equal(before + TimeSpan.FromSeconds(3), _m.Service.GetStatus("/d").LastModificationTime);
    }

    [Fact]
    public async Task Every_mutation_is_journaled_and_a_restart_recovers_the_same_namespace()
    {
        await _m.Service.CreateFile("/a/f", new CreateFileOptions(), Id());
        await _m.Service.Rename("/a", "/b", Id());
        string live = _m.Dump();

        _m = await _m.RestartAsync();

        Assert.Equal(live, _m.Dump(takeoversToSkipAtEnd: 1));
        Assert.Equal(2, _m.Service.GetTakeovers().Count);
        Assert.Equal(_m.Service.GetTakeovers()[0].SiloAddress, _m.Service.GetTakeovers()[1].PreviousSiloAddress);
    }

    [Fact]
    public async Task Ttl_checker_deletes_expired_files_and_clears_the_ttl_of_freed_ones()
    {
        await _m.Service.CreateFile("/gone", new CreateFileOptions { TtlMs = 1000 }, Id());
        await _m.Service.CreateFile("/freed", new CreateFileOptions { TtlMs = 1000, TtlAction = TtlAction.Free }, Id());
        await _m.Service.CreateFile("/later", new CreateFileOptions { TtlMs = 60_000 }, Id());

        await _m.Service.CheckTtlAsync(CancellationToken.None);
        Assert.Equal(3, _m.Service.ListStatus("/", false).Count);

        _m.Clock.Advance(TimeSpan.FromSeconds(2));
        await _m.Service.CheckTtlAsync(CancellationToken.None);

        Assert.Equal(new[] { "/freed", "/later" }, _m.Service.ListStatus("/", false).Select(s => s.Path));
        Assert.Equal(-1, _m.Service.GetStatus("/freed").TtlMs);
        Assert.Equal(60_000, _m.Service.GetStatus("/later").TtlMs);
    }

    [Fact]
    public async Task Checkpoint_then_restart_recovers_from_checkpoint_plus_the_log_after_it()
    {
        await _m.Service.CreateFile("/before", new CreateFileOptions(), Id());
        await _m.Service.CheckpointAsync();
        await _m.Service.CreateFile("/after", new CreateFileOptions(), Id());
        string live = _m.Dump();

        _m = await _m.RestartAsync();

        Assert.Equal(live, _m.Dump(takeoversToSkipAtEnd: 1));
        Assert.True(_m.Service.GetInfo().LastCheckpointSequence > 0);
    }

    private string NamespaceDumpWithoutRetry() => _m.NamespaceOnly();

    [Fact]
    public void Block_ids_leave_room_for_the_index()
    {
        Assert.Equal((5L << 24) | 7, Inode.BlockId(5, 7));
        Assert.Equal(3, Inode.BlockCount(201, 100));
    }
}
