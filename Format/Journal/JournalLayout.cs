using System.Globalization;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// Where things live in a journal directory:
/// <c>epochs/&lt;epoch&gt;</c>, <c>log/&lt;epoch&gt;-&lt;firstseq&gt;.log</c>, <c>checkpoints/&lt;seq&gt;.ckpt</c>
/// and <c>checkpoints/.tmp/</c>. Numbers are zero-padded so names sort in numeric order.
/// </summary>
public sealed class JournalLayout
{
    public const string LogExtension = ".log";
    public const string CheckpointExtension = ".ckpt";

    public string Root { get; }
    public string EpochsDirectory { get; }
    public string LogDirectory { get; }
    public string CheckpointsDirectory { get; }
    public string CheckpointTempDirectory { get; }

    public JournalLayout(string root)
    {
        Root = Path.GetFullPath(root);
        EpochsDirectory = Path.Combine(Root, "epochs");
        LogDirectory = Path.Combine(Root, "log");
        CheckpointsDirectory = Path.Combine(Root, "checkpoints");
        CheckpointTempDirectory = Path.Combine(CheckpointsDirectory, ".tmp");
    }

    public void CreateDirectories()
    {
        Directory.CreateDirectory(EpochsDirectory);
        Directory.CreateDirectory(LogDirectory);
        Directory.CreateDirectory(CheckpointTempDirectory);
    }

    public static string EpochFileName(long epoch) => epoch.ToString("D20", CultureInfo.InvariantCulture);

    public static bool TryParseEpochFileName(string name, out long epoch) =>
        long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out epoch) && epoch > 0;

    public string SegmentPath(long epoch, long firstSequence) => Path.Combine(LogDirectory,
        $"{epoch.ToString("D10", CultureInfo.InvariantCulture)}-{firstSequence.ToString("D17", CultureInfo.InvariantCulture)}{LogExtension}");

    public string CheckpointPath(long sequence) => Path.Combine(CheckpointsDirectory, CheckpointFileName(sequence));

    public string CheckpointTempPath(long sequence) => Path.Combine(CheckpointTempDirectory, CheckpointFileName(sequence));

    private static string CheckpointFileName(long sequence) =>
        sequence.ToString("D17", CultureInfo.InvariantCulture) + CheckpointExtension;

    /// <summary>Every log segment, ordered by first sequence (then epoch).</summary>
    public List<LogSegment> ListSegments()
    {
        var segments = new List<LogSegment>();
        if (!Directory.Exists(LogDirectory)) return segments;
        foreach (string path in Directory.EnumerateFiles(LogDirectory, "*" + LogExtension))
        {
            if (TryParseSegmentName(Path.GetFileNameWithoutExtension(path), out long epoch, out long first))
                segments.Add(new LogSegment(path, epoch, first));
        }
        segments.Sort((a, b) => a.FirstSequence != b.FirstSequence
            ? a.FirstSequence.CompareTo(b.FirstSequence)
            : a.Epoch.CompareTo(b.Epoch));
        return segments;
    }

    /// <summary>Every checkpoint file's sequence, newest first.</summary>
    public List<long> ListCheckpoints()
    {
        var sequences = new List<long>();
        if (!Directory.Exists(CheckpointsDirectory)) return sequences;
        foreach (string path in Directory.EnumerateFiles(CheckpointsDirectory, "*" + CheckpointExtension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
                sequences.Add(seq);
        }
        sequences.Sort((a, b) => b.CompareTo(a));
        return sequences;
    }

    private static bool TryParseSegmentName(string name, out long epoch, out long firstSequence)
    {
        firstSequence = 0;
        int dash = name.IndexOf('-');
        epoch = 0;
        return dash > 0
            && long.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out epoch)
            && long.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out firstSequence);
    }
}
