using CsCheck;
using OrleansFs.Client;
using OrleansFs.Files;
using OrleansFs.Master;
using Xunit.Abstractions;

namespace OrleansFs.Tests.StandbyReads;

/// <summary>
/// Concurrent writers and readers against the master and the held-back standbys of all three silos. Every read
/// must reflect at least the position its client had seen when it started, and what it shows must match the
/// journal order exactly: a file is there at position q if and only if its create is at or before q and its
/// delete (if any) after q.
/// </summary>
[Collection(StandbyReadsCollection.Name)]
public sealed class ConsistencyPropertyTests(StandbyReadsClusterFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<OrleansFsConnection> _clients = [];
    // Each writer has a client of its own, so the position its client holds after a delete is the delete's.
    private readonly List<OrleansFsConnection> _writers = [];

    public async Task InitializeAsync()
    {
        // One client per gateway (its reads reach that silo's standby) and one through ZooKeeper.
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning))
        {
            await silo.WaitStandbyAsync(TimeSpan.FromSeconds(60));
            _clients.Add(await StandbyReadsClusterFixture.ConnectThroughAsync(silo));
        }
        _clients.Add(await fixture.ConnectAsync());
        for (int w = 0; w < MaxWriters; w++) _writers.Add(await fixture.ConnectAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Concat(_writers)) await client.DisposeAsync();
    }

    private const int MaxWriters = 3;

    private sealed record Schedule(int Writers, int FilesPerWriter, int[] ReaderClients, int ReadsPerReader, bool[] MasterReads, int DeleteEvery);

    private static readonly Gen<Schedule> Schedules =
        from writers in Gen.Int[1, MaxWriters]
        from files in Gen.Int[3, 12]
        from readers in Gen.Int[0, 3].Array[1, 4]
        from reads in Gen.Int[5, 30]
        from masterReads in Gen.Bool.Array[reads]
        from deleteEvery in Gen.Int[2, 4]
        select new Schedule(writers, files, readers, reads, masterReads, deleteEvery);

    private sealed record Write(string Path, JournalPosition Created, JournalPosition? Deleted);

    private sealed record Read(string Path, bool Exists, JournalPosition At, JournalPosition SeenBefore);

    [Fact]
    public async Task Every_read_reflects_its_clients_position_and_shows_the_namespace_as_of_its_own_position()
    {
        int iteration = 0;
        long readsChecked = 0;
        double servedBefore = await ServedByStandbysAsync();
        await Schedules.SampleAsync(async schedule =>
        {
            string root = $"/prop-{Guid.NewGuid():N}";
            await _clients[^1].FileSystem.CreateDirectoryAsync(root);
            var names = Enumerable.Range(0, schedule.Writers)
                .SelectMany(w => Enumerable.Range(0, schedule.FilesPerWriter).Select(f => $"{root}/w{w}-f{f}")).ToArray();
            var writers = Enumerable.Range(0, schedule.Writers).Select(w => WriteAsync(_writers[w], root, w, schedule)).ToArray();
            var readers = schedule.ReaderClients.Select((c, r) => ReadAsync(_clients[c], names, schedule, seed: iteration * 31 + r)).ToArray();
            var written = (await Task.WhenAll(writers)).SelectMany(w => w).ToDictionary(w => w.Path);
            var read = (await Task.WhenAll(readers)).SelectMany(r => r).ToList();
            foreach (var r in read)
            {
                Assert.True(r.At >= r.SeenBefore, $"{r.Path} read at {r.At}, behind the {r.SeenBefore} its client had seen");
                var w = written[r.Path];
                bool expected = w.Created <= r.At && !(w.Deleted is { } d && d <= r.At);
                Assert.True(expected == r.Exists,
                    $"{r.Path} {(r.Exists ? "exists" : "is missing")} at {r.At}, but was created at {w.Created} and deleted at {w.Deleted?.ToString() ?? "never"}");
            }
            readsChecked += read.Count;
            iteration++;
        }, iter: 12, threads: 1);
        double served = await ServedByStandbysAsync() - servedBefore;
        output.WriteLine($"{iteration} schedules, {readsChecked} reads checked, {served} answered by standbys");
        // Not only the master: the property held for reads the standbys answered too.
        Assert.True(served > 0, "no read was answered by a standby");
    }

    private async Task<double> ServedByStandbysAsync()
    {
        double served = 0;
        foreach (var silo in fixture.Cluster.Silos.Where(s => s.IsRunning))
            served += await StandbyReadsClusterFixture.StandbyReadsAsync(silo, OrleansFs.Metrics.MetricNames.StandbyReads.Served);
        return served;
    }

    /// <summary>Creates its files in order, deleting every few the one before; returns each with its positions.</summary>
    private static async Task<List<Write>> WriteAsync(OrleansFsConnection client, string root, int writer, Schedule schedule)
    {
        var writes = new List<Write>();
        for (int f = 0; f < schedule.FilesPerWriter; f++)
        {
            string path = $"{root}/w{writer}-f{f}";
            var created = await client.FileSystem.CreateFileEntryAsync(path);
            writes.Add(new Write(path, created.Journal, null));
            if (f > 0 && f % schedule.DeleteEvery == 0)
            {
                await client.FileSystem.DeleteAsync(writes[f - 1].Path);
                writes[f - 1] = writes[f - 1] with { Deleted = client.Reads.Seen };
            }
        }
        return writes;
    }

    private static async Task<List<Read>> ReadAsync(OrleansFsConnection client, string[] names, Schedule schedule, int seed)
    {
        var random = new Random(seed);
        var reads = new List<Read>();
        for (int i = 0; i < schedule.ReadsPerReader; i++)
        {
            string path = names[random.Next(names.Length)];
            var seen = client.Reads.Seen;
            StatusRead read;
            using (schedule.MasterReads[i] ? OrleansFs.Client.FileSystem.MetadataReads.FromMaster() : null)
                read = await client.Reads.ReadStatusAsync(path);
            if (read.Status is { } status) Assert.Equal(read.Journal, status.Journal);
            reads.Add(new Read(path, read.Status is not null, read.Journal, seen));
        }
        return reads;
    }
}
