using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// One attempt of a lineage's job as the journal and checkpoints hold it (the grain contract's <c>LineageRun</c>):
/// <see cref="Trigger"/> and <see cref="Outcome"/> are its enum values, times are Unix milliseconds.
/// </summary>
public sealed record LineageRunData(
    int RunId, int Attempt, byte Trigger, long StartedMs, long? EndedMs, string Silo, byte Outcome, int? ExitCode,
    string? Error, string StdoutTail, string StderrTail)
{
    public void Write(ref EntryWriter writer)
    {
        writer.WriteVarInt64(RunId);
        writer.WriteVarInt64(Attempt);
        writer.WriteByte(Trigger);
        writer.WriteVarInt64(StartedMs);
        writer.WriteBool(EndedMs.HasValue);
        if (EndedMs is { } ended) writer.WriteVarInt64(ended);
        writer.WriteString(Silo);
        writer.WriteByte(Outcome);
        writer.WriteBool(ExitCode.HasValue);
        if (ExitCode is { } code) writer.WriteVarInt64(code);
        writer.WriteNullableString(Error);
        writer.WriteString(StdoutTail);
        writer.WriteString(StderrTail);
    }

    public static LineageRunData Read(ref EntryReader reader)
    {
        int runId = ReadInt32(ref reader);
        int attempt = ReadInt32(ref reader);
        byte trigger = reader.ReadByte();
        long started = reader.ReadVarInt64();
        long? ended = reader.ReadBool() ? reader.ReadVarInt64() : null;
        string silo = reader.ReadString();
        byte outcome = reader.ReadByte();
        int? exitCode = reader.ReadBool() ? ReadInt32(ref reader) : null;
        return new(runId, attempt, trigger, started, ended, silo, outcome, exitCode, reader.ReadNullableString(),
            reader.ReadString(), reader.ReadString());
    }

    /// <summary>A signed (zigzag) varint that must fit an int.</summary>
    private static int ReadInt32(ref EntryReader reader)
    {
        long value = reader.ReadVarInt64();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new InvalidDataException($"lineage run field {value} does not fit an int");
    }
}
