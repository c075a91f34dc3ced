using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansFs.Client;
using OrleansFs.Client.Hosting;
using OrleansFs.Client.Retry;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Master;
using OrleansFs.TestSupport;
using Xunit.Abstractions;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// The master's silo (one of the client's gateways) is SIGKILLed while a mutation is in flight: after the master
/// applied and journaled it, before its answer reaches the client. The client retries on the new master with the
/// same request id, which answers from its retry cache: the change is applied exactly once. Without the retry (one
/// attempt, as TTL, pin and a stream's completion used to make) the call fails.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class ExactlyOnceFailoverTests(FailoverClusterFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly KillMasterAfterApply _kill = new();
    // Entries journaled for the path before the watched call (creating it and marking it persisted).
    private HashSet<Guid> _earlier = [];
    private IHost _host = null!;
    private IFileSystem _fs = null!;
    private FileDataClient _data = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOrleansFsClient(o =>
        {
            o.ZooKeeperConnectionString = fixture.Cluster.ZooKeeperConnectionString;
            o.ConnectTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddSingleton<IOutgoingGrainCallFilter>(_kill);
        _host = builder.Build();
        await _host.StartAsync();
        _fs = _host.Services.GetRequiredService<IFileSystem>();
        // The same grain factory as the IFileSystem, as OrleansFsConnection builds it: one client, one read position.
        _data = new FileDataClient(_host.Services.GetRequiredService<IGrainFactory>(), _host.Services.GetRequiredService<RetryPipeline>());
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
        await fixture.Cluster.HealAsync();
    }

    [Fact]
    public async Task SetTtlIsAppliedOnceWhenTheMastersSiloDiesWithTheAnswerInFlight()
    {
        string path = await CreateFileAsync("ttl", [1, 2, 3]);
        await ArmAsync(nameof(IMasterGrain.SetAttribute), path);

        var status = await _data.SetTtlAsync(path, 3_600_000, TtlAction.Free);

        Assert.Equal(3_600_000, status.TtlMs);
        var after = await _fs.GetStatusAsync(path);
        Assert.Equal(3_600_000, after.TtlMs);
        Assert.Equal(TtlAction.Free, after.TtlAction);
        AssertAppliedOnce(MasterEntryType.SetAttribute, path);
    }

    [Fact]
    public async Task PinIsAppliedOnceWhenTheMastersSiloDiesWithTheAnswerInFlight()
    {
        string path = await CreateFileAsync("pin", [4, 5, 6]);
        await ArmAsync(nameof(IMasterGrain.SetAttribute), path);

        await _data.SetPinnedAsync(path, pinned: true);

        Assert.True((await _fs.GetStatusAsync(path)).Pinned);
        AssertAppliedOnce(MasterEntryType.SetAttribute, path);
    }

    [Fact]
    public async Task AStreamsCompletionIsAppliedOnceWhenTheMastersSiloDiesWithTheAnswerInFlight()
    {
        // THROUGH: the bytes are in the under-storage before the completion, so no block dies with the silo.
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(bytes);
        string path = $"/exactly-once-{Guid.NewGuid():N}.bin";
        var stream = await _data.CreateFileAsync(path, new CreateFileOptions { WriteType = WriteType.Through });
        await stream.WriteAsync(bytes);
        await ArmAsync(nameof(IMasterGrain.CompleteFile), path);

        await stream.DisposeAsync();

        var status = await _fs.GetStatusAsync(path);
        Assert.True(status.Completed);
        Assert.Equal(bytes.Length, status.Length);
        Assert.Equal(PersistenceState.Persisted, status.PersistenceState);
        await using (var read = await _data.OpenFileAsync(path))
        {
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
        AssertAppliedOnce(MasterEntryType.CompleteFile, path);
    }

    private async Task<string> CreateFileAsync(string name, byte[] bytes)
    {
        string path = $"/exactly-once-{name}-{Guid.NewGuid():N}";
        await using var stream = await _data.CreateFileAsync(path, new CreateFileOptions { WriteType = WriteType.Through });
        await stream.WriteAsync(bytes);
        return path;
    }

    /// <summary>The next call of <paramref name="method"/> on <paramref name="path"/> kills the master's silo once applied.</summary>
    private async Task ArmAsync(string method, string path)
    {
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning)) await silo.WaitStandbyAsync(TimeSpan.FromSeconds(30));
        var master = await _fs.GetMasterInfoAsync();
        _earlier = EntriesFor(path).Select(e => e.RequestId).ToHashSet();
        _kill.Arm(method, path, fixture.Cluster.SiloAt(master.SiloAddress));
    }

    /// <summary>The call was retried (so the kill did land) with one request id, and the journal holds one entry for it.</summary>
    private void AssertAppliedOnce(MasterEntryType type, string path)
    {
        Assert.True(_kill.Fired, "the master's silo was never killed");
        var ids = _kill.RequestIds;
        output.WriteLine($"{type} {path}: {ids.Count} attempt(s), request ids {string.Join(", ", ids.Distinct())}");
        Assert.True(ids.Count >= 2, $"the call made {ids.Count} attempt(s); it should have been retried");
        Guid id = Assert.Single(ids.Distinct());
        var entry = Assert.Single(EntriesFor(path), e => e.Type == type && !_earlier.Contains(e.RequestId));
        Assert.Equal(id, entry.RequestId);
    }

    private List<MasterEntry> EntriesFor(string path) => JournalReader.ReadAll(fixture.Cluster.JournalDirectory)
        .Where(e => !e.IsTornTail)
        .Select(e => MasterEntryCodec.Decode(e.Record.Type, e.Record.Payload.Span))
        .Where(e => e.Describe().Split(' ')[0] == path)
        .ToList();

    /// <summary>
    /// Lets the watched call reach the master and be applied, then SIGKILLs the master's silo and fails the call as
    /// the lost connection would, so the answer never reaches the client.
    /// </summary>
    private sealed class KillMasterAfterApply : IOutgoingGrainCallFilter
    {
        private string? _method;
        private string? _path;
        private SiloProcess? _victim;
        private readonly List<Guid> _requestIds = [];

        public bool Fired { get; private set; }
        public IReadOnlyList<Guid> RequestIds { get { lock (_requestIds) return [.. _requestIds]; } }

        public void Arm(string method, string path, SiloProcess victim)
        {
            lock (_requestIds) _requestIds.Clear();
            (_method, _path, _victim, Fired) = (method, path, victim, false);
        }

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            bool watched = context.InterfaceMethod?.DeclaringType == typeof(IMasterGrain) && context.InterfaceMethod.Name == _method
                           && Equals(context.Request.GetArgument(0), _path);
            if (!watched)
            {
                await context.Invoke();
                return;
            }
            lock (_requestIds) _requestIds.Add((Guid)context.Request.GetArgument(context.Request.GetArgumentCount() - 1)!);
            await context.Invoke();
            var victim = Interlocked.Exchange(ref _victim, null);
            if (victim is null) return;
            victim.Kill();
            Fired = true;
            throw new SiloUnavailableException($"the master's silo {victim.SiloAddress} was killed before its answer arrived");
        }
    }
}
