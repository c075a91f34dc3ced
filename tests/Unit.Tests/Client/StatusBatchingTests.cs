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
        await UntilSharedAsync("/f10", async reader =>
        {
            var fs = new OrleansFileSystem(ReaderFactory.Over(reader), Retry);
            var first = fs.GetStatusAsync("/held");
            var others = Enumerable.Range(0, 20).Select(i => fs.GetStatusAsync($"/f{i}")).ToList();
            await reader.ReleaseWhenReceivedAsync(21);

            Assert.Equal("/held", (await first).Path);
            for (int i = 0; i < others.Count; i++) Assert.Equal($"/f{i}", (await others[i]).Path);
            Assert.True(reader.Messages < 21, $"{reader.Messages} messages for 21 reads");
        });
    }

    [Fact]
    public async Task A_path_that_fails_on_its_own_fails_only_its_read()
    {
        await UntilSharedAsync("/bad", async reader =>
        {
            reader.Refused = "/bad";
            var fs = new OrleansFileSystem(ReaderFactory.Over(reader), Retry);
            var first = fs.GetStatusAsync("/held");
            var good = Enumerable.Range(0, 10).Select(i => fs.GetStatusAsync($"/good{i}")).ToList();
            var bad = fs.GetStatusAsync("/bad");
            var after = fs.GetStatusAsync("/after");
            await reader.ReleaseWhenReceivedAsync(13);

            var e = await Assert.ThrowsAsync<FsException>(() => bad);
            Assert.Equal(FsErrorCode.PermissionDenied, e.Code);
            for (int i = 0; i < good.Count; i++) Assert.Equal($"/good{i}", (await good[i]).Path);
            Assert.Equal("/after", (await after).Path);
            Assert.Equal("/held", (await first).Path);
        });
    }

    [Fact]
    public async Task A_missing_path_in_a_shared_message_is_not_found_for_its_read_alone()
    {
        await UntilSharedAsync("/gone", async reader =>
        {
            reader.Missing = "/gone";
            var fs = new OrleansFileSystem(ReaderFactory.Over(reader), Retry);
            var first = fs.GetStatusAsync("/held");
            var before = Enumerable.Range(0, 5).Select(i => fs.ExistsAsync($"/there{i}")).ToList();
            var gone = fs.ExistsAsync("/gone");
            var missing = fs.GetStatusAsync("/gone");
            await reader.ReleaseWhenReceivedAsync(8);

            Assert.False(await gone);
            Assert.Equal(FsErrorCode.NotFound, (await Assert.ThrowsAsync<FsException>(() => missing)).Code);
            Assert.All(await Task.WhenAll(before), Assert.True);
            await first;
        });
    }

    [Fact]
    public async Task A_shared_message_asks_for_at_least_the_position_the_client_has_seen()
    {
        await UntilSharedAsync("/f3", async reader =>
        {
            var factory = ReaderFactory.Over(reader);
            var fs = new OrleansFileSystem(factory, Retry);
            MetadataReads.For(factory).Observe(new JournalPosition(3, 41));
            var first = fs.GetStatusAsync("/held");
            var batched = Enumerable.Range(0, 8).Select(i => fs.GetStatusAsync($"/f{i}")).ToList();
            await reader.ReleaseWhenReceivedAsync(9);
            await Task.WhenAll(batched.Append(first));

            Assert.All(reader.Requirements, r => Assert.True(r.AtLeast >= new JournalPosition(3, 41), $"asked for {r.AtLeast}"));
            Assert.Equal(new JournalPosition(3, 50), MetadataReads.For(factory).Seen);
        });
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> on fresh clients until <paramref name="path"/> went out in a message shared
    /// with other reads (which reads gather is up to thread-pool timing; it takes one or two runs).
    /// </summary>
    private static async Task UntilSharedAsync(string path, Func<GatedReader, Task> scenario)
    {
        for (int run = 0; run < 20; run++)
        {
            var reader = new GatedReader();
            await scenario(reader);
            if (reader.Shared.Contains(path)) return;
        }
        Assert.Fail($"{path} never went out with other reads in 20 runs");
    }

    /// <summary>
    /// A reader whose first call waits until released, so the reads after it gather; it answers every path with its
    /// status at position 3:50, a missing one with none, and refuses a whole message that holds the refused path.
    /// </summary>
    private sealed class GatedReader : IMetadataReaderGrain
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _messages;
        private int _received;

        public string? Refused { get; set; }
        public string? Missing { get; set; }
        public int Messages => Volatile.Read(ref _messages);
        public List<ReadRequirement> Requirements { get; } = [];
        /// <summary>The paths that went out in a message with other paths.</summary>
        public HashSet<string> Shared { get; } = [];

        /// <summary>Releases the first read once <paramref name="reads"/> reads (the first among them) have arrived.</summary>
        public async Task ReleaseWhenReceivedAsync(int reads)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (Volatile.Read(ref _received) < reads)
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException($"{_received} of {reads} reads arrived");
                await Task.Delay(5);
            }
            _released.TrySetResult();
        }

        public async Task<StatusRead> GetStatus(string path, ReadRequirement read)
        {
            Interlocked.Increment(ref _received);
            lock (Requirements) Requirements.Add(read);
            if (Interlocked.Increment(ref _messages) == 1) await _released.Task;
            return Answer(path);
        }

        public Task<StatusRead[]> GetStatuses(string[] paths, ReadRequirement read)
        {
            Interlocked.Increment(ref _messages);
            lock (Requirements)
            {
                Requirements.Add(read);
                Shared.UnionWith(paths);
            }
            // A refused message is replayed read by read: count its reads when they come again.
            if (paths.Contains(Refused)) return Task.FromException<StatusRead[]>(new FsException(FsErrorCode.PermissionDenied, Refused, "refused"));
            Interlocked.Add(ref _received, paths.Length);
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
