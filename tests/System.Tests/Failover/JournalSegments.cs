using OrleansFs.Grains.Journal;

namespace OrleansFs.Tests.Failover;

/// <summary>
/// Reads the raw records of a journal directory's log segments, seals ignored: what every master actually
/// appended, including anything a fenced master wrote after it lost its epoch.
/// </summary>
internal static class JournalSegments
{
    public readonly record struct RawRecord(long Sequence, long Epoch, string File);

    public static List<RawRecord> ReadRecords(string journalDirectory)
    {
        var records = new List<RawRecord>();
        string logs = Path.Combine(journalDirectory, "log");
        foreach (string file in Directory.EnumerateFiles(logs, "*.log"))
        {
            byte[] bytes = File.ReadAllBytes(file);
            int offset = 0;
            while (offset < bytes.Length && RecordFrame.TryRead(bytes.AsSpan(offset), out int size, out FrameHeader header) == FrameStatus.Valid)
            {
                records.Add(new RawRecord(header.Sequence, header.Epoch, file));
                offset += size;
            }
        }
        records.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return records;
    }

    /// <summary>
    /// Records a fenced master appended after a newer epoch had begun: each record whose sequence is at or past the
    /// first record of any later epoch. Empty when epochs only grow along the journal.
    /// </summary>
    public static List<RawRecord> StaleRecords(IReadOnlyList<RawRecord> records)
    {
        var firstOfEpoch = records.GroupBy(r => r.Epoch).ToDictionary(g => g.Key, g => g.Min(r => r.Sequence));
        return records.Where(r => firstOfEpoch.Where(e => e.Key > r.Epoch).Select(e => e.Value).DefaultIfEmpty(long.MaxValue).Min() <= r.Sequence).ToList();
    }
}
