using System.Collections.Immutable;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Entries;
using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Checkpoints;

/// <summary>A <see cref="LineageRecord"/> in a checkpoint: its files with their bindings and checksums, its job and its runs.</summary>
public static class LineageRecordCodec
{
    public static void Write(ref EntryWriter writer, LineageRecord record)
    {
        writer.WriteVarInt64(record.Id);
        WriteFiles(ref writer, record.Inputs);
        WriteFiles(ref writer, record.Outputs);
        record.Job.Write(ref writer);
        writer.WriteVarInt64(record.CreatedMs);
        writer.WriteBool(record.RunRequested);
        writer.WriteVarUInt64((ulong)record.Runs.Count);
        foreach (var run in record.Runs) run.Write(ref writer);
    }

    public static LineageRecord Read(ref EntryReader reader)
    {
        long id = reader.ReadVarInt64();
        var inputs = ReadFiles(ref reader);
        var outputs = ReadFiles(ref reader);
        var job = LineageJobData.Read(ref reader);
        long created = reader.ReadVarInt64();
        bool runRequested = reader.ReadBool();
        int count = reader.ReadVarInt32();
        if (count < 0 || count > reader.Remaining) throw new InvalidDataException($"checkpoint lineage {id} claims {count} runs");
        var runs = ImmutableList.CreateBuilder<LineageRunData>();
        for (int i = 0; i < count; i++) runs.Add(LineageRunData.Read(ref reader));
        return new LineageRecord(id, inputs, outputs, job, created, runRequested, runs.ToImmutable());
    }

    private static void WriteFiles(ref EntryWriter writer, ImmutableArray<LineageFile> files)
    {
        writer.WriteVarUInt64((ulong)files.Length);
        foreach (var file in files)
        {
            writer.WriteBool(file.FileId.HasValue);
            if (file.FileId is { } fileId) writer.WriteVarInt64(fileId);
            writer.WriteString(file.Path);
            writer.WriteBool(file.Checksum.HasValue);
            if (file.Checksum is { } checksum) writer.WriteVarUInt64(checksum);
        }
    }

    private static ImmutableArray<LineageFile> ReadFiles(ref EntryReader reader)
    {
        int count = reader.ReadVarInt32();
        if (count < 0 || count > reader.Remaining) throw new InvalidDataException($"checkpoint lineage claims {count} files");
        var files = ImmutableArray.CreateBuilder<LineageFile>(count);
        for (int i = 0; i < count; i++)
        {
            long? fileId = reader.ReadBool() ? reader.ReadVarInt64() : null;
            string path = reader.ReadString();
            ulong? checksum = reader.ReadBool() ? reader.ReadVarUInt64() : null;
            files.Add(new LineageFile(fileId, path, checksum));
        }
        return files.MoveToImmutable();
    }
}
