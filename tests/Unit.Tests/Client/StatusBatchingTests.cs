using System.Reflection;
using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Retry;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Master;
using Xunit;

namespace OrleansFs.Tests.Client;

/// <summary>
/// Concurrent getStatus reads of one client share messages to the gateway's reader, and each caller still gets its
/// own answer, its own error, and a read at least at the client's journal position.
/// </summary>
public sealed class StatusBatchingTests
{
    private static readonly RetryPipeline Retry = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5),
        TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task Reads_started_while_another_is_in_flight_each_get_the_status_of_their_own_path()
    {
        var reader = new GatedReader();
        var fs = new OrleansFileSystem(ReaderFactory.Over(reader), Retry);

        var first = fs.GetStatusAsync("/held");
        var others = Enumerable.Range(0, 20).Select(i => fs.GetStatusAsync($"/f{i}")).ToList();
        await reader.WaitForBatchAsync();
        reader.Release();

        Assert.Equal("/held", (await first).Path);
        for (int i = 0; i < others.Count; i++) Assert.Equal($"/f{i}", (await others[i]).Path);
        Assert.True(reader.Messages < 21, $"{reader.Messages} messages for 21 reads");
    }

    [Fact]
    public async Task A_path_that_fails_on_its_own_fails_only_its_read()
    {
        var reader = new GatedReader { Refused = "/bad" };
        var fs = new OrleansFileSystem(ReaderFactory.Over(reader), Retry);

        var first = fs.GetStatusAsync("/held");
        var good = fs.GetStatusAsync("/good");
        var bad = fs.GetStatusAsync("/bad");
        await reader.WaitForBatchAsync();
        reader.Release();

        Assert.Equal("/good", (await good).Path);
        var e = await Assert.ThrowsAsync<FsException>(() => bad);
        Assert.Equal(FsErrorCode.PermissionDenied, e.Code);
        Assert.Equal("/held", (await first).Path);
    }

    [Fact]
    public async Task A_missing_path_in_a_shared_message_is_not_found_for_its_read_alone()
    {
        var reader = new GatedReader { Missing = "/gone" };
        var fs = new OrleansFileSystem(ReaderFactory.Over(reader), Retry);

        var first = fs.GetStatusAsync("/held");
        var gone = fs.ExistsAsync("/gone");
        var there = fs.ExistsAsync("/there");
        await reader.WaitForBatchAsync();
        reader.Release();

        Assert.False(await gone);
        Assert.True(await there);
        await first;
    }

    [Fact]
    public async Task A_shared_message_asks_for_at_least_the_position_the_client_has_seen()
    {
        var reader = new GatedReader();
        var factory = ReaderFactory.Over(reader);
        var fs = new OrleansFileSystem(factory, Retry);
        MetadataReads.For(factory).Observe(new JournalPosition(3, 41));

        var first = fs.GetStatusAsync("/held");
        var batched = Enumerable.Range(0, 5).Select(i => fs.GetStatusAsync($"/f{i}")).ToList();
        await reader.WaitForBatchAsync();
        reader.Release();
        await Task.WhenAll(batched.Append(first));

        Assert.All(reader.Requirements, r => Assert.True(r.AtLeast >= new JournalPosition(3, 41), $"asked for {r.AtLeast}"));
        Assert.Equal(new JournalPosition(3, 50), MetadataReads.For(factory).Seen);
    }

    /// <summary>
    /// A reader whose first call waits until released, so the reads after it gather; it answers every path with its
    /// status at position 3:50, a missing one with none, and refuses a whole message that holds the refused path.
    /// </summary>
    private sealed class GatedReader : IMetadataReaderGrain
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _batched = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _messages;

        public string? Refused { get; init; }
        public string? Missing { get; init; }
        public int Messages => Volatile.Read(ref _messages);
        public List<ReadRequirement> Requirements { get; } = [];

        public void Release() => _released.TrySetResult();

        public async Task WaitForBatchAsync() => await _batched.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public async Task<StatusRead> GetStatus(string path, ReadRequirement read)
        {
            if (Interlocked.Increment(ref _messages) == 1) await _released.Task;
            lock (Requirements) Requirements.Add(read);
            return Answer(path);
        }

        public Task<StatusRead[]> GetStatuses(string[] paths, ReadRequirement read)
        {
            Interlocked.Increment(ref _messages);
            lock (Requirements) Requirements.Add(read);
            _batched.TrySetResult();
            if (paths.Contains(Refused)) return Task.FromException<StatusRead[]>(new FsException(FsErrorCode.PermissionDenied, Refused, "refused"));
            return Task.FromResult(paths.Select(Answer).ToArray());
        }

        private StatusRead Answer(string path)
        {
            if (path == Refused) throw new FsException(FsErrorCode.PermissionDenied, path, "refused");
            var position = new JournalPosition(3, 50);
            return new StatusRead(path == Missing ? null : new FileStatus { Path = path, Journal = position }, position);
        }

        public Task<ListingRead> ListStatus(string path, bool recursive, ReadRequirement read) => throw new NotSupportedException();

        public Task<ListingPage> ListStatusPage(string path, ListingRequest request, ReadRequirement read) => throw new NotSupportedException();
    }

    /// <summary>A grain factory whose only grain is the reader.</summary>
    public class ReaderFactory : DispatchProxy
    {
        private IMetadataReaderGrain? _reader;

        public static IGrainFactory Over(IMetadataReaderGrain reader)
        {
            var factory = Create<IGrainFactory, ReaderFactory>();
            ((ReaderFactory)(object)factory)._reader = reader;
            return factory;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args) =>
            method!.Name == nameof(IGrainFactory.GetGrain) && method.IsGenericMethod && method.GetGenericArguments()[0] == typeof(IMetadataReaderGrain)
                ? _reader
                : throw new NotSupportedException($"{method.Name} is not faked");
    }
}
