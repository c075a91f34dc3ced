using OrleansFs.Errors;
using OrleansFs.Files;

namespace OrleansFs.Tests.Master;

/// <summary>Every refused operation throws an FsException with the right code, names the path, and changes nothing.</summary>
public sealed class NamespaceErrorTests : IAsyncLifetime
{
    private TestMaster _m = null!;

    public async Task InitializeAsync()
    {
        _m = await TestMaster.StartAsync();
        await _m.Service.CreateFile("/dir/file", new CreateFileOptions(), Guid.NewGuid());
        await _m.Service.CreateFile("/dir/sub/deep", new CreateFileOptions(), Guid.NewGuid());
        await _m.Service.CreateDirectory("/empty", false, Guid.NewGuid());
    }

    public async Task DisposeAsync() => await _m.DisposeAsync();

    public static TheoryData<string> BadPaths() => new()
    {
        "",
        "relative/path",
        "dir",
        "/dir/../etc",
        "/..",
        "/dir/./file",
        "/.",
        "//dir",
        "/dir//file",
        "/dir/\0x",
        "/dir/a\u0001b",
        "/dir/tab\there",
        "/dir/new\nline",
        "/" + new string('n', 256),
        "/dir/" + new string('é', 128),
        "/" + string.Join('/', Enumerable.Repeat(new string('p', 200), 21)),
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task Bad_paths_are_refused_by_every_operation_and_change_nothing(string bad)
    {
        var operations = new (string Name, Func<Task> Call)[]
        {
            ("mkdir", () => _m.Service.CreateDirectory(bad, true, Guid.NewGuid())),
            ("create", () => _m.Service.CreateFile(bad, new CreateFileOptions(), Guid.NewGuid())),
            ("complete", () => _m.Service.CompleteFile(bad, 1, Guid.NewGuid())),
            ("delete", () => _m.Service.Delete(bad, true, Guid.NewGuid())),
            ("rename from", () => _m.Service.Rename(bad, "/elsewhere", Guid.NewGuid())),
            ("rename to", () => _m.Service.Rename("/dir/file", bad, Guid.NewGuid())),
            ("setattr", () => _m.Service.SetAttribute(bad, new SetAttributeOptions { Pinned = true }, Guid.NewGuid())),
            ("stat", () => Task.FromResult(_m.Service.GetStatus(bad))),
            ("ls", () => Task.FromResult(_m.Service.ListStatus(bad, true))),
        };
        foreach (var (name, call) in operations)
        {
            string before = Namespace();
            var error = await Assert.ThrowsAsync<FsException>(call);
            Assert.True(error.Code == FsErrorCode.InvalidPath, $"{name}: {error.Message}");
            Assert.Equal(bad, error.Path);
            Assert.Equal(before, Namespace());
        }
    }

    [Fact]
    public void A_4096_byte_path_is_accepted_but_4097_is_refused()
    {
        string ok = "/" + string.Join('/', Enumerable.Repeat(new string('a', 255), 15));
        ok += "/" + new string('b', 4096 - ok.Length - 1);
        Assert.Equal(4096, ok.Length);
        Assert.Equal(FsErrorCode.NotFound, Assert.Throws<FsException>(() => _m.Service.GetStatus(ok)).Code);
        Assert.Equal(FsErrorCode.InvalidPath, Assert.Throws<FsException>(() => _m.Service.GetStatus(ok + "c")).Code);
    }

    public static TheoryData<string, FsErrorCode, string> Refusals() => new()
    {
        { "delete /", FsErrorCode.InvalidArgument, "/" },
        { "delete non-empty", FsErrorCode.DirectoryNotEmpty, "/dir" },
        { "delete missing", FsErrorCode.NotFound, "/nope" },
        { "rename into own subtree", FsErrorCode.InvalidArgument, "/dir/sub/inside" },
        { "rename onto itself", FsErrorCode.AlreadyExists, "/dir" },
        { "rename onto existing", FsErrorCode.AlreadyExists, "/empty" },
        { "rename missing source", FsErrorCode.NotFound, "/nope" },
        { "rename to missing parent", FsErrorCode.NotFound, "/nope/x" },
        { "rename under a file", FsErrorCode.NotADirectory, "/dir/file/x" },
        { "rename /", FsErrorCode.InvalidArgument, "/" },
        { "mkdir existing", FsErrorCode.AlreadyExists, "/dir" },
        { "mkdir -p over a file", FsErrorCode.AlreadyExists, "/dir/file" },
        { "mkdir missing parent", FsErrorCode.NotFound, "/a/b/c" },
        { "mkdir under a file", FsErrorCode.NotADirectory, "/dir/file/x" },
        { "mkdir -p under a file", FsErrorCode.NotADirectory, "/dir/file/x/y" },
        { "create existing", FsErrorCode.AlreadyExists, "/dir/file" },
        { "create over a directory", FsErrorCode.AlreadyExists, "/dir" },
        { "overwrite a directory", FsErrorCode.IsADirectory, "/dir" },
        { "create /", FsErrorCode.AlreadyExists, "/" },
        { "create under a file", FsErrorCode.NotADirectory, "/dir/file/x" },
        { "create without parents", FsErrorCode.NotFound, "/new/f" },
        { "create with zero block size", FsErrorCode.InvalidArgument, "/f" },
        { "create with bad ttl", FsErrorCode.InvalidArgument, "/f" },
        { "complete a directory", FsErrorCode.IsADirectory, "/dir" },
        { "complete missing", FsErrorCode.NotFound, "/nope" },
        { "complete negative length", FsErrorCode.InvalidArgument, "/dir/file" },
        { "complete twice", FsErrorCode.InvalidArgument, "/dir/sub/deep" },
        { "setattr missing", FsErrorCode.NotFound, "/nope" },
        { "setattr bad ttl", FsErrorCode.InvalidArgument, "/dir" },
        { "stat under a file", FsErrorCode.NotADirectory, "/dir/file/x" },
        { "mutation without request id", FsErrorCode.InvalidArgument, "/x" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_operations_report_code_and_path_and_change_nothing(string operation, FsErrorCode code, string path)
    {
        await _m.Service.CompleteFile("/dir/sub/deep", 5, Guid.NewGuid());
        string before = Namespace();

        var error = await Assert.ThrowsAsync<FsException>(() => Run(operation));

        Assert.True(error.Code == code, $"{operation}: expected {code}, got {error.Message}");
        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        Assert.Equal(before, Namespace());
    }

    private Task Run(string operation)
    {
        var s = _m.Service;
        Guid id = Guid.NewGuid();
        return operation switch
        {
            "delete /" => s.Delete("/", true, id),
            "delete non-empty" => s.Delete("/dir", false, id),
            "delete missing" => s.Delete("/nope", true, id),
            "rename into own subtree" => s.Rename("/dir", "/dir/sub/inside", id),
            "rename onto itself" => s.Rename("/dir", "/dir", id),
            "rename onto existing" => s.Rename("/dir/file", "/empty", id),
            "rename missing source" => s.Rename("/nope", "/x", id),
            "rename to missing parent" => s.Rename("/dir/file", "/nope/x", id),
            "rename under a file" => s.Rename("/empty", "/dir/file/x", id),
            "rename /" => s.Rename("/", "/x", id),
            "mkdir existing" => s.CreateDirectory("/dir", false, id),
            "mkdir -p over a file" => s.CreateDirectory("/dir/file", true, id),
            "mkdir missing parent" => s.CreateDirectory("/a/b/c", false, id),
            "mkdir under a file" => s.CreateDirectory("/dir/file/x", false, id),
            "mkdir -p under a file" => s.CreateDirectory("/dir/file/x/y", true, id),
            "create existing" => s.CreateFile("/dir/file", new CreateFileOptions(), id),
            "create over a directory" => s.CreateFile("/dir", new CreateFileOptions(), id),
            "overwrite a directory" => s.CreateFile("/dir", new CreateFileOptions { Overwrite = true }, id),
            "create /" => s.CreateFile("/", new CreateFileOptions { Overwrite = true }, id),
            "create under a file" => s.CreateFile("/dir/file/x", new CreateFileOptions(), id),
            "create without parents" => s.CreateFile("/new/f", new CreateFileOptions { Recursive = false }, id),
            "create with zero block size" => s.CreateFile("/f", new CreateFileOptions { BlockSizeBytes = 0 }, id),
            "create with bad ttl" => s.CreateFile("/f", new CreateFileOptions { TtlMs = -5 }, id),
            "complete a directory" => s.CompleteFile("/dir", 1, id),
            "complete missing" => s.CompleteFile("/nope", 1, id),
            "complete negative length" => s.CompleteFile("/dir/file", -1, id),
            "complete twice" => s.CompleteFile("/dir/sub/deep", 5, id),
            "setattr missing" => s.SetAttribute("/nope", new SetAttributeOptions { Pinned = true }, id),
            "setattr bad ttl" => s.SetAttribute("/dir", new SetAttributeOptions { TtlMs = -2 }, id),
            "stat under a file" => Task.FromResult(s.GetStatus("/dir/file/x")),
            "mutation without request id" => s.CreateDirectory("/x", true, Guid.Empty),
            _ => throw new ArgumentException(operation),
        };
    }

    /// <summary>The namespace without the retry cache (a refused request is remembered there, by design).</summary>
    private string Namespace() => _m.NamespaceOnly();
}
