using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// A lineage's job as the journal and checkpoints hold it (the grain contract's <c>LineageJob</c>, without its Orleans
/// types): <see cref="Kind"/> is the <c>LineageJobKind</c> value.
/// </summary>
public sealed record LineageJobData(
    byte Kind, string? Executable, IReadOnlyList<string> Arguments, string? WorkingDirectory, string? TypeName,
    IReadOnlyList<string> JobArguments)
{
    public void Write(ref EntryWriter writer)
    {
        writer.WriteByte(Kind);
        writer.WriteNullableString(Executable);
        WriteStrings(ref writer, Arguments);
        writer.WriteNullableString(WorkingDirectory);
        writer.WriteNullableString(TypeName);
        WriteStrings(ref writer, JobArguments);
    }

    public static LineageJobData Read(ref EntryReader reader) =>
        new(reader.ReadByte(), reader.ReadNullableString(), ReadStrings(ref reader), reader.ReadNullableString(),
            reader.ReadNullableString(), ReadStrings(ref reader));

    public override string ToString() =>
        TypeName is not null ? $"{TypeName} {string.Join(' ', JobArguments)}".TrimEnd() : $"{Executable} {string.Join(' ', Arguments)}".TrimEnd();

    internal static void WriteStrings(ref EntryWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteVarUInt64((ulong)values.Count);
        foreach (string value in values) writer.WriteString(value);
    }

    internal static string[] ReadStrings(ref EntryReader reader)
    {
        int count = reader.ReadVarInt32();
        // Every string takes at least its length byte.
        if (count < 0 || count > reader.Remaining) throw new InvalidDataException($"a string list claims {count} items");
        var values = new string[count];
        for (int i = 0; i < count; i++) values[i] = reader.ReadString();
        return values;
    }
}
