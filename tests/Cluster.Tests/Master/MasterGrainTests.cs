using OrleansFs.Errors;
using OrleansFs.Files;

namespace OrleansFs.Tests.Master;

/// <summary>The master's grain API through an Orleans client, on the real directory journal.</summary>
public sealed class MasterGrainTests(MasterClusterFixture fixture) : IClassFixture<MasterClusterFixture>
{
    private static Guid Id() => Guid.NewGuid();
    private static string Unique() => "/t" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Create_list_rename_set_attribute_and_delete_through_the_client()
    {
        var master = fixture.Master;
        string root = Unique();

        await master.CreateDirectory(root + "/docs", recursive: true, Id());
        var file = await master.CreateFile(root + "/docs/a.txt", new CreateFileOptions { BlockSizeBytes = 1024 }, Id());
        var completed = await master.CompleteFile(root + "/docs/a.txt", 3000, Id());
        await master.Rename(root + "/docs", root + "/papers", Id());
        var pinned = await master.SetAttribute(root + "/papers", new SetAttributeOptions { Pinned = true, Recursive = true }, Id());
        var listed = await master.ListStatus(root, recursive: true);
        var moved = await master.GetStatus(root + "/papers/a.txt");

        Assert.Equal(3, completed.BlockIds.Count);
        Assert.True(pinned.Pinned);
        Assert.Equal(new[] { root + "/papers", root + "/papers/a.txt" }, listed.Select(s => s.Path));
        Assert.Equal(file.InodeId, moved.InodeId);
        Assert.True(moved.Pinned);
        Assert.Equal(3000, moved.Length);
        Assert.Equal(completed.BlockIds, moved.BlockIds);

        await master.Delete(root, recursive: true, Id());
        var gone = await Assert.ThrowsAsync<FsException>(() => master.GetStatus(root));
        Assert.Equal(FsErrorCode.NotFound, gone.Code);
    }

    [Fact]
    public async Task Errors_cross_the_wire_with_their_code_and_path()
    {
        var master = fixture.Master;
        string dir = Unique();
        await master.CreateFile(dir + "/f", new CreateFileOptions(), Id());

        var root = await Assert.ThrowsAsync<FsException>(() => master.Delete("/", true, Id()));
        var notEmpty = await Assert.ThrowsAsync<FsException>(() => master.Delete(dir, false, Id()));
        var badPath = await Assert.ThrowsAsync<FsException>(() => master.CreateDirectory(dir + "/../x", true, Id()));
        var intoSelf = await Assert.ThrowsAsync<FsException>(() => master.Rename(dir, dir + "/inner", Id()));
        var underFile = await Assert.ThrowsAsync<FsException>(() => master.GetStatus(dir + "/f/g"));

        Assert.Equal((FsErrorCode.InvalidArgument, "/"), (root.Code, root.Path));
        Assert.Equal((FsErrorCode.DirectoryNotEmpty, dir), (notEmpty.Code, notEmpty.Path));
        Assert.Equal((FsErrorCode.InvalidPath, dir + "/../x"), (badPath.Code, badPath.Path));
        Assert.Equal((FsErrorCode.InvalidArgument, dir + "/inner"), (intoSelf.Code, intoSelf.Path));
        Assert.Equal((FsErrorCode.NotADirectory, dir + "/f/g"), (underFile.Code, underFile.Path));
        Assert.Contains("'..'", badPath.Message);
        Assert.Single(await master.ListStatus(dir, false));
    }

    [Fact]
    public async Task Concurrent_creates_share_journal_flushes()
    {
        var master = fixture.Master;
        string dir = Unique();
        const int operations = 200;
        var before = await master.GetInfo();

        var created = await Task.WhenAll(Enumerable.Range(0, operations)
            .Select(i => master.CreateFile($"{dir}/f{i}", new CreateFileOptions(), Id())));

        var after = await master.GetInfo();
        Assert.Equal(operations, created.Select(s => s.InodeId).Distinct().Count());
        Assert.Equal(operations, (await master.ListStatus(dir, false)).Count);
        long flushes = after.JournalFlushes - before.JournalFlushes;
        Assert.True(flushes < operations, $"{flushes} flushes for {operations} creates");
        Assert.True(after.JournalSequence - before.JournalSequence >= operations);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_returns_the_first_result()
    {
        var master = fixture.Master;
        string path = Unique();
        var id = Id();

        var first = await master.CreateFile(path, new CreateFileOptions(), id);
        var again = await master.CreateFile(path, new CreateFileOptions(), id);

        Assert.Equal(first.InodeId, again.InodeId);
    }

    [Fact]
    public async Task A_file_whose_ttl_runs_out_is_deleted()
    {
        var master = fixture.Master;
        string path = Unique();
        await master.CreateFile(path, new CreateFileOptions { TtlMs = 300 }, Id());
        await master.CreateFile(path + "-kept", new CreateFileOptions(), Id());

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && (await master.ListStatus("/", false)).Any(s => s.Path == path))
            await Task.Delay(100);

        var error = await Assert.ThrowsAsync<FsException>(() => master.GetStatus(path));
        Assert.Equal(FsErrorCode.NotFound, error.Code);
        Assert.Equal(path + "-kept", (await master.GetStatus(path + "-kept")).Path);
    }

    [Fact]
    public async Task Info_names_the_hosting_silo_the_epoch_and_the_directory_journal()
    {
        var info = await fixture.Master.GetInfo();
        var silo = fixture.Cluster.Silos.Single().SiloAddress.Endpoint;

        Assert.Equal($"{silo.Address}:{silo.Port}", info.SiloAddress);
        Assert.True(info.Epoch >= 1);
        Assert.Equal("Directory", info.JournalKind);
        Assert.True(info.DirectoryCount >= 1);
        var takeovers = await fixture.Master.GetTakeovers();
        Assert.Equal(info.Epoch, takeovers[^1].Epoch);
        Assert.Equal(info.SiloAddress, takeovers[^1].SiloAddress);
    }
}
