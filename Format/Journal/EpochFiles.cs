using System.Buffers.Binary;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// The epoch files of a journal directory (<c>epochs/</c>): one file per epoch, named by
/// <see cref="JournalLayout.EpochFileName"/>, empty until a later master seals it with
/// <c>u64 lastSequence | u32 crc32c</c> (little-endian).
/// </summary>
public static class EpochFiles
{
    public const int SealSize = 8 + 4;

    /// <summary>Every epoch in <paramref name="directory"/> with its seal, in epoch order.</summary>
    public static IReadOnlyList<EpochInfo> ReadAll(string directory)
    {
        var epochs = new List<EpochInfo>();
        foreach (long epoch in List(directory))
            epochs.Add(new EpochInfo(epoch, ReadSeal(PathOf(directory, epoch))));
        epochs.Sort((a, b) => a.Epoch.CompareTo(b.Epoch));
        return epochs;
    }

    /// <summary>The epochs present, in directory order.</summary>
    public static IEnumerable<long> List(string directory)
    {
        if (!Directory.Exists(directory)) yield break;
        foreach (string path in Directory.EnumerateFiles(directory))
            if (JournalLayout.TryParseEpochFileName(Path.GetFileName(path), out long epoch))
                yield return epoch;
    }

    public static string PathOf(string directory, long epoch) => Path.Combine(directory, JournalLayout.EpochFileName(epoch));

    public static void WriteSeal(Span<byte> seal, long lastSequence)
    {
        BinaryPrimitives.WriteInt64LittleEndian(seal, lastSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(seal[8..], Crc32C.Compute(seal[..8]));
    }

    /// <summary>A seal torn by a crash reads as "not sealed", which is right: that master never served.</summary>
    public static long? ReadSeal(string path)
    {
        Span<byte> seal = stackalloc byte[SealSize];
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (RandomAccess.GetLength(handle) != SealSize || RandomAccess.Read(handle, seal, 0) != SealSize) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(seal[8..]) != Crc32C.Compute(seal[..8])) return null;
        return BinaryPrimitives.ReadInt64LittleEndian(seal);
    }
}
