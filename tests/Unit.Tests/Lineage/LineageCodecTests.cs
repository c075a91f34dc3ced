using System.Buffers;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Checkpoints;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Grains.Master.Serialization;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Lineage;

public sealed class LineageCodecTests
{
    private static readonly LineageJobData CommandJob = new(0, "/opt/jobs/upper", ["--in", "a b", "é"], "/tmp/work", null, []);
    private static readonly LineageRunData Run = new(3, 2, 1, 1_700_000_000_000, 1_700_000_000_500, "10.0.0.1:11111", 2, -1, "exit code -1", "out", "err");

    public static TheoryData<MasterEntry> Entries() => new()
    {
        new CreateLineageEntry(Guid.NewGuid(), 5, ["/a", "/b"], ["/c"], CommandJob, true),
        new CreateLineageEntry(Guid.NewGuid(), 5, [], ["/c", "/d"], new LineageJobData(1, null, [], null, "My.Job, MyAssembly", ["x"]), false),
        new DeleteLineageEntry(Guid.NewGuid(), 6, 42, true),
        new LineageRunEntry(Guid.NewGuid(), 7, 42, Run),
        new LineageRunEntry(Guid.NewGuid(), 7, 1, Run with { EndedMs = null, ExitCode = null, Error = null }),
        new LineageChecksumEntry(Guid.NewGuid(), 8, 42, "/c", ulong.MaxValue),
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void Every_lineage_entry_round_trips_and_a_cut_one_is_reported(MasterEntry entry)
    {
        byte[] buffer = MasterEntryCodec.Encode(entry, out int length);
        byte[] payload = buffer[..length];
        ArrayPool<byte>.Shared.Return(buffer);

        var decoded = MasterEntryCodec.Decode((ushort)entry.Type, payload);

        Assert.Equivalent(entry, decoded, strict: true);
        Assert.Equal(entry.Describe(), decoded.Describe());
        for (int cut = 0; cut < payload.Length; cut++)
            Assert.Throws<InvalidDataException>(() => MasterEntryCodec.Decode((ushort)entry.Type, payload.AsSpan(0, cut)));
    }

    [Fact]
    public void A_record_with_unbound_files_checksums_and_runs_round_trips()
    {
        var record = new LineageRecord(7, [new LineageFile(12, "/in"), new LineageFile(null, "/deleted")],
            [new LineageFile(13, "/out", 99), new LineageFile(null, "/gone", 5)], CommandJob, 1234, true, [Run, Run with { Attempt = 3 }]);
        var writer = new EntryWriter(64);
        LineageRecordCodec.Write(ref writer, record);
        byte[] bytes = writer.WrittenSpan.ToArray();
        writer.Dispose();

        var reader = new EntryReader(bytes);
        var decoded = LineageRecordCodec.Read(ref reader);

        Assert.Equal(0, reader.Remaining);
        Assert.Equivalent(record, decoded, strict: true);
    }

    [Fact]
    public async Task A_checkpoint_round_trips_the_lineage_table_and_the_lineage_ids_in_the_retry_cache()
    {
        await using var m = await TestMaster.StartAsync();
        await m.Service.CreateFile("/in", new CreateFileOptions(), Guid.NewGuid());
        await m.Service.CompleteFile("/in", 5, Guid.NewGuid());
        await m.Service.SetAttribute("/in", new SetAttributeOptions { PersistenceState = PersistenceState.Persisted }, Guid.NewGuid());
        var job = LineageJob.CommandLine("/opt/job", "a b") with { WorkingDirectory = "/tmp" };
        for (int i = 0; i < 5; i++)
            await m.Service.CreateLineage(new CreateLineageRequest { Inputs = ["/in"], Outputs = [$"/out{i}"], Job = LineageJob.InProcess("J"), Run = i % 2 == 0 }, Guid.NewGuid());
        // Refused by the default validator: nothing journaled, nothing changes.
        await Assert.ThrowsAsync<OrleansFs.Errors.FsException>(() =>
            m.Service.CreateLineage(new CreateLineageRequest { Inputs = ["/out0"], Outputs = ["/deep/x"], Job = job }, Guid.NewGuid()));
        await m.Service.DeleteLineage(2, false, Guid.NewGuid());
        await m.Service.Delete("/out3", false, Guid.NewGuid());
        await m.Service.RecordLineageRun(1, new LineageRun { RunId = 1, Silo = "s", StdoutTail = "é\n" }, Guid.NewGuid());
        await m.Service.RecordLineageChecksum(1, "/out0", ulong.MaxValue, Guid.NewGuid());
        var stream = new MemoryStream();
        CheckpointCodec.Write(m.Service.State, m.Service.Retry.Snapshot(), stream);

        var (state, retry) = CheckpointCodec.Read(new MemoryStream(stream.ToArray()));

        Assert.Equal(m.Dump(), NamespaceDump.Of(state, retry));
        Assert.Contains("lineage=5", m.Dump());
        Assert.Equal(6, state.Lineages.NextId);
        Assert.Equal(1, state.Lineages.ProducerOf(m.Service.GetStatus("/out0").InodeId));
    }
}
