using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Master.Sync;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Paths;
using OrleansFs.Tests.Master;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Sync;

/// <summary>The sync over a real under-storage directory with a 1 minute interval and a clock the test moves.</summary>
public sealed class MetadataSyncIntervalTests : IDisposable
{
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private readonly TempDirectory _temp = new("ofs-sync-unit");
    private readonly SteppingClock _clock = new();
    private readonly DirectoryUnderStorage _ufs;

    public MetadataSyncIntervalTests() =>
        _ufs = new DirectoryUnderStorage(Options.Create(new UnderStorageOptions { Directory = _temp.Combine("ufs") }),
            NullLogger<DirectoryUnderStorage>.Instance);

    public void Dispose() => _temp.Dispose();

    private void Drop(string path)
    {
        string local = Path.Join(_ufs.Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.WriteAllText(local, "data");
    }

    [Fact]
    public async Task Looking_a_directory_up_does_not_count_as_listing_it_and_a_listing_is_repeated_only_after_the_interval()
    {
        await using var m = await TestMaster.StartAsync();
        var sync = new MetadataSync(m.Service, _ufs, new SyncIntervalTracker(TimeSpan.FromMinutes(1), _clock), 1 << 20, NullLogger.Instance);
        Drop("/d/first");

        await sync.LoadPathAsync(FsPath.Parse("/d"));
        await sync.SyncDirectoryAsync(FsPath.Parse("/d"), recursive: false);
        Assert.Equal(["/d/first"], m.Service.ListStatus("/d", false).Select(s => s.Path));

        Drop("/d/second");
        await sync.SyncDirectoryAsync(FsPath.Parse("/d"), recursive: false);
        Assert.Single(m.Service.ListStatus("/d", false));

        _clock.Advance(TimeSpan.FromMinutes(1));
        await sync.SyncDirectoryAsync(FsPath.Parse("/d"), recursive: false);
        Assert.Equal(["/d/first", "/d/second"], m.Service.ListStatus("/d", false).Select(s => s.Path));
    }
}
