using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Sync;

/// <summary>Applying what a metadata sync found: only what the namespace lacks, never what a cleanup will remove.</summary>
public sealed class LoadMetadataTests
{
    private static LoadedChild File(string name, long length) => new(name, false, length, 1_700_000_000_000);
    private static LoadedChild Dir(string name) => new(name, true, 0, 1_700_000_000_000);

    [Fact]
    public async Task Found_files_become_persisted_complete_files_and_the_directory_chain_is_created()
    {
        await using var m = await TestMaster.StartAsync();

        await m.Service.LoadMetadata("/a/b", 1000, [File("f", 2500), Dir("sub")]);

        var file = m.Service.GetStatus("/a/b/f");
        Assert.Equal((2500L, 1000L, true, PersistenceState.Persisted), (file.Length, file.BlockSizeBytes, file.Completed, file.PersistenceState));
        Assert.Equal(3, file.BlockIds.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), file.LastModificationTime);
        Assert.True(m.Service.GetStatus("/a/b/sub").IsDirectory);
        Assert.Equal(PersistenceState.Persisted, m.Service.GetStatus("/a").PersistenceState);
    }

    [Fact]
    public async Task What_the_namespace_has_wins_and_invalid_names_are_left_out()
    {
        await using var m = await TestMaster.StartAsync();
        await m.Service.CreateFile("/d/mine", new CreateFileOptions { Recursive = true }, Guid.NewGuid());
        await m.Service.CreateFile("/file", new CreateFileOptions(), Guid.NewGuid());

        await m.Service.LoadMetadata("/d", 1000, [File("mine", 77), File("bad\nname", 1), File("..", 1), File("new", 1)]);
        await m.Service.LoadMetadata("/file", 1000, [File("below-a-file", 1)]);
        await m.Service.LoadMetadata("/file/x", 1000, [File("y", 1)]);

        Assert.Equal(["/d/mine", "/d/new"], m.Service.ListStatus("/d", false).Select(s => s.Path));
        Assert.Equal(0, m.Service.GetStatus("/d/mine").Length);
        Assert.False(m.Service.GetStatus("/file").IsDirectory);
    }

    [Fact]
    public async Task A_path_with_an_unfinished_delete_cleanup_is_not_brought_back()
    {
        await using var m = await TestMaster.StartAsync();
        await m.Service.CreateFile("/t/gone", new CreateFileOptions { Recursive = true }, Guid.NewGuid());
        await m.Service.CompleteFile("/t/gone", 1, Guid.NewGuid());
        await m.Service.SetAttribute("/t/gone", new SetAttributeOptions { PersistenceState = PersistenceState.Persisted }, Guid.NewGuid());
        await m.Service.Delete("/t/gone", false, Guid.NewGuid());

        await m.Service.LoadMetadata("/t", 1000, [File("gone", 1), File("other", 1)]);

        Assert.Equal(["/t/other"], m.Service.ListStatus("/t", false).Select(s => s.Path));
        Assert.Equal(FsErrorCode.NotFound, Assert.Throws<FsException>(() => m.Service.GetStatus("/t/gone")).Code);
    }

    [Fact]
    public async Task Replay_rebuilds_the_same_namespace()
    {
        var m = await TestMaster.StartAsync();
        await m.Service.LoadMetadata("/x", 4096, [File("a", 5000), Dir("b")]);
        await m.Service.LoadMetadata("/x/b", 4096, [File("c", 1)]);
        string before = m.NamespaceOnly();

        await using var replayed = await m.RestartAsync();

        Assert.Equal(before, NamespaceDump.Of(replayed.Service.State, null, takeoversToSkipAtEnd: 1));
    }
}
