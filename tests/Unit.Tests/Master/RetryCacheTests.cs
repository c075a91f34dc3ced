using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Master.Retry;

namespace OrleansFs.Tests.Master;

/// <summary>A retry with the same request id returns the first result and changes nothing, within the window.</summary>
public sealed class RetryCacheTests
{
    [Fact]
    public async Task A_retried_create_returns_the_first_result_and_journals_nothing()
    {
        await using var m = await TestMaster.StartAsync();
        var id = Guid.NewGuid();
        var first = await m.Service.CreateFile("/f", new CreateFileOptions(), id);
        int records = m.Store.RecordCount;
        string before = m.Dump();

        var again = await m.Service.CreateFile("/f", new CreateFileOptions(), id);

        Assert.Equal(first with { BlockIds = [] }, again with { BlockIds = [] });
        Assert.Equal(records, m.Store.RecordCount);
        Assert.Equal(before, m.Dump());
    }

    [Fact]
    public async Task A_retried_delete_succeeds_again_although_the_path_is_gone()
    {
        await using var m = await TestMaster.StartAsync();
        await m.Service.CreateFile("/f", new CreateFileOptions(), Guid.NewGuid());
        var id = Guid.NewGuid();
        await m.Service.Delete("/f", false, id);

        await m.Service.Delete("/f", false, id);

        Assert.Empty(m.Service.ListStatus("/", false));
    }

    [Fact]
    public async Task A_retried_failure_returns_the_same_error_even_when_it_would_now_succeed()
    {
        await using var m = await TestMaster.StartAsync();
        await m.Service.CreateFile("/f", new CreateFileOptions(), Guid.NewGuid());
        var id = Guid.NewGuid();
        var first = await Assert.ThrowsAsync<FsException>(() => m.Service.CreateFile("/f", new CreateFileOptions(), id));
        await m.Service.Delete("/f", false, Guid.NewGuid());

        var again = await Assert.ThrowsAsync<FsException>(() => m.Service.CreateFile("/f", new CreateFileOptions(), id));

        Assert.Equal(FsErrorCode.AlreadyExists, again.Code);
        Assert.Equal(first.Message, again.Message);
        Assert.Empty(m.Service.ListStatus("/", false));
    }

    [Fact]
    public async Task The_first_result_survives_a_restart_from_the_journal()
    {
        var m = await TestMaster.StartAsync();
        var id = Guid.NewGuid();
        var first = await m.Service.CreateDirectory("/d", false, id);
        var renameId = Guid.NewGuid();
        await m.Service.Rename("/d", "/e", renameId);

        m = await m.RestartAsync();
        var again = await m.Service.CreateDirectory("/d", false, id);
        await m.Service.Rename("/d", "/e", renameId);

        Assert.Equal(first.InodeId, again.InodeId);
        Assert.Equal("/d", again.Path);
        Assert.Equal(new[] { "/e" }, m.Service.ListStatus("/", false).Select(s => s.Path));
        await m.DisposeAsync();
    }

    [Fact]
    public async Task The_first_result_survives_a_checkpoint_and_restart()
    {
        var m = await TestMaster.StartAsync();
        var id = Guid.NewGuid();
        var first = await m.Service.CreateFile("/f", new CreateFileOptions(), id);
        await m.Service.CheckpointAsync();

        m = await m.RestartAsync();
        var again = await m.Service.CreateFile("/f", new CreateFileOptions(), id);

        Assert.Equal(first.InodeId, again.InodeId);
        Assert.Equal(1, m.Service.GetInfo().FileCount);
        await m.DisposeAsync();
    }

    [Fact]
    public async Task After_the_window_a_request_id_is_forgotten_and_the_request_runs_again()
    {
        await using var m = await TestMaster.StartAsync(options: new MasterOptions { RetryCacheWindow = TimeSpan.FromMinutes(10) });
        var id = Guid.NewGuid();
        await m.Service.CreateFile("/f", new CreateFileOptions(), id);
        await m.Service.Delete("/f", false, Guid.NewGuid());

        m.Clock.Advance(TimeSpan.FromMinutes(9));
        await m.Service.CreateFile("/f", new CreateFileOptions(), id);
        Assert.Empty(m.Service.ListStatus("/", false));

        m.Clock.Advance(TimeSpan.FromMinutes(2));
        await m.Service.CreateFile("/f", new CreateFileOptions(), id);
        Assert.Single(m.Service.ListStatus("/", false));
    }

    [Fact]
    public async Task The_cache_keeps_at_most_its_maximum_and_forgets_the_oldest_first()
    {
        await using var m = await TestMaster.StartAsync(options: new MasterOptions { RetryCacheMaxEntries = 3 });
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        for (int i = 0; i < ids.Length; i++) await m.Service.CreateDirectory($"/d{i}", false, ids[i]);

        Assert.Equal(3, m.Service.State.Retry.Count);
        Assert.Equal(ids[2..], m.Service.State.Retry.Entries().Select(e => e.RequestId));
    }

    [Fact]
    public void Adding_evicts_entries_older_than_the_window_by_entry_time()
    {
        var cache = RetryCache.Empty;
        var old = Guid.NewGuid();
        cache = cache.Add(new RetryCacheEntry(old, 1_000, CachedResult.Success(null)), windowMs: 500, maxEntries: 10);
        cache = cache.Add(new RetryCacheEntry(Guid.NewGuid(), 1_400, CachedResult.Success(null)), 500, 10);
        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(old, 1_450, 500, out _));
        Assert.False(cache.TryGet(old, 1_600, 500, out _));

        cache = cache.Add(new RetryCacheEntry(Guid.NewGuid(), 1_600, CachedResult.Success(null)), 500, 10);

        Assert.Equal(2, cache.Count);
        Assert.DoesNotContain(old, cache.Entries().Select(e => e.RequestId));
    }
}
