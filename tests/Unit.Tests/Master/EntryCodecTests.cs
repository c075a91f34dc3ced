using System.Buffers;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Master;

namespace OrleansFs.Tests.Master;

public sealed class EntryCodecTests
{
    public static TheoryData<MasterEntry> Entries() => new()
    {
        new CreateDirectoryEntry(Guid.NewGuid(), 1_764_000_000_123, "/a/b", true),
        new CreateFileEntry(Guid.NewGuid(), 5, "/a/é/f", 64L << 20, false, true, WriteType.Through, -1, TtlAction.Free, true),
        new CreateFileEntry(Guid.NewGuid(), long.MaxValue, "/x", 1, true, false, WriteType.MustCache, long.MaxValue, TtlAction.Delete, false),
        new CompleteFileEntry(Guid.NewGuid(), 0, "/f", 123_456_789_012),
        new DeleteEntry(Guid.NewGuid(), 42, "/d", false),
        new RenameEntry(Guid.NewGuid(), 42, "/from", "/to/there"),
        new SetAttributeEntry(Guid.NewGuid(), 7, "/p", true, null, TtlAction.Free, PersistenceState.Persisted, true),
        new SetAttributeEntry(Guid.NewGuid(), 7, "/p", null, -1, null, null, false),
        new OperationFailedEntry(Guid.NewGuid(), 9, MasterEntryType.Rename, FsErrorCode.AlreadyExists, "/x", "already exists"),
        new OperationFailedEntry(Guid.NewGuid(), 9, MasterEntryType.CreateFile, FsErrorCode.InvalidPath, null, "path is missing"),
        new TakeoverEntry(Guid.NewGuid(), 11, 7, "10.0.0.1:11111", "10.0.0.2:11111", 1_500_000, 1234, 5600),
        new TakeoverEntry(Guid.NewGuid(), 11, 1, "127.0.0.1:11111", null, 0, 0, null),
        new TakeoverEntry(Guid.NewGuid(), 11, 8, "10.0.0.1:11111", "10.0.0.2:11111", 1_500_000, 3, 4_600, TakeoverCause.SiloFailed, 350),
    };

    [Fact]
    public void A_version_2_takeover_still_replays_with_its_vote_figure_unknown()
    {
        var entry = new TakeoverEntry(Guid.NewGuid(), 11, 7, "10.0.0.1:11111", "10.0.0.2:11111", 1_500_000, 1234, 5600, TakeoverCause.SiloFailed, 99);
        byte[] buffer = MasterEntryCodec.Encode(entry, out int length);
        // Version 2 is version 3 without the trailing vote figure (here a flag byte and a one-byte varint).
        byte[] payload = buffer[..(length - 2)];
        ArrayPool<byte>.Shared.Return(buffer);
        payload[0] = 2;

        var decoded = Assert.IsType<TakeoverEntry>(MasterEntryCodec.Decode((ushort)MasterEntryType.Takeover, payload));

        Assert.Equal(entry with { FromFirstVoteMilliseconds = null }, decoded);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Every_entry_type_round_trips(MasterEntry entry)
    {
        var decoded = RoundTrip(entry);

        Assert.Equal(entry, decoded);
        Assert.Equal(entry.Type, decoded.Type);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void A_cut_payload_is_reported_not_misread(MasterEntry entry)
    {
        byte[] buffer = MasterEntryCodec.Encode(entry, out int length);
        byte[] payload = buffer[..length];
        ArrayPool<byte>.Shared.Return(buffer);

        for (int cut = 0; cut < payload.Length; cut++)
            Assert.Throws<InvalidDataException>(() => MasterEntryCodec.Decode((ushort)entry.Type, payload.AsSpan(0, cut)));
    }

    [Fact]
    public void An_unknown_version_or_type_is_refused_with_a_clear_message()
    {
        var entry = new DeleteEntry(Guid.NewGuid(), 1, "/d", true);
        byte[] buffer = MasterEntryCodec.Encode(entry, out int length);
        byte[] payload = buffer[..length];
        ArrayPool<byte>.Shared.Return(buffer);

        payload[0] = 99;
        var version = Assert.Throws<InvalidDataException>(() => MasterEntryCodec.Decode((ushort)MasterEntryType.Delete, payload));
        Assert.Contains("version 99", version.Message);

        var type = Assert.Throws<InvalidDataException>(() => MasterEntryCodec.Decode(999, payload));
        Assert.Contains("999", type.Message);
    }

    [Fact]
    public void Encoding_is_compact()
    {
        var entry = new CreateDirectoryEntry(Guid.NewGuid(), 1_764_000_000_123, "/a/b", true);
        byte[] buffer = MasterEntryCodec.Encode(entry, out int length);
        ArrayPool<byte>.Shared.Return(buffer);
        // version 1 + guid 16 + time varint 6 + path 1+4 + flag 1
        Assert.Equal(29, length);
    }

    private static MasterEntry RoundTrip(MasterEntry entry)
    {
        byte[] buffer = MasterEntryCodec.Encode(entry, out int length);
        try
        {
            return MasterEntryCodec.Decode((ushort)entry.Type, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
