using OrleansFs.Grains.Master.Serialization;
using OrleansFs.Master;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>A master activation took over: journaled first thing after recovery, for the failover timeline.</summary>
public sealed record TakeoverEntry(
    Guid RequestId, long TimeMs, long Epoch, string SiloAddress, string? PreviousSiloAddress,
    long RecoveryMicroseconds, long RecordsReplayed, long? DetectionMilliseconds,
    TakeoverCause Cause = TakeoverCause.Unknown, long? FromFirstVoteMilliseconds = null) : MasterEntry(RequestId, TimeMs)
{
    /// <summary>3: detection from the last time the old silo was heard from, plus the time from the first vote.</summary>
    public const byte CurrentVersion = 3;
    private const byte WithCause = 2;

    public override MasterEntryType Type => MasterEntryType.Takeover;
    public override byte Version => CurrentVersion;
    public override string Describe() => $"epoch {Epoch} on {SiloAddress} (after {PreviousSiloAddress ?? "none"}, {Cause})";

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteVarInt64(Epoch);
        writer.WriteString(SiloAddress);
        writer.WriteNullableString(PreviousSiloAddress);
        writer.WriteVarInt64(RecoveryMicroseconds);
        writer.WriteVarInt64(RecordsReplayed);
        writer.WriteBool(DetectionMilliseconds.HasValue);
        if (DetectionMilliseconds is { } detection) writer.WriteVarInt64(detection);
        writer.WriteByte((byte)Cause);
        writer.WriteBool(FromFirstVoteMilliseconds.HasValue);
        if (FromFirstVoteMilliseconds is { } fromVote) writer.WriteVarInt64(fromVote);
    }

    internal static TakeoverEntry Read(Guid requestId, long timeMs, byte version, ref EntryReader reader)
    {
        long epoch = reader.ReadVarInt64();
        string silo = reader.ReadString();
        string? previous = reader.ReadNullableString();
        long recovery = reader.ReadVarInt64();
        long replayed = reader.ReadVarInt64();
        long? detection = reader.ReadBool() ? reader.ReadVarInt64() : null;
        // Version 1 takeovers were journaled before the cause was recorded.
        var cause = version >= WithCause ? (TakeoverCause)reader.ReadByte()
            : previous is null ? TakeoverCause.FirstStart : TakeoverCause.Unknown;
        // Before version 3 detection was measured from the first vote, so that is the figure they hold.
        long? fromVote = version >= CurrentVersion ? (reader.ReadBool() ? reader.ReadVarInt64() : null) : null;
        return new(requestId, timeMs, epoch, silo, previous, recovery, replayed, detection, cause, fromVote);
    }
}
