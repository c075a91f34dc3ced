namespace OrleansFs.Master;

/// <summary>
/// Where in the journal a metadata answer stands: the epoch of the master (or of the last record a standby
/// applied) and the last journal sequence the answer's state includes. Ordered by epoch, then sequence, which
/// is the journal's effective order: a later epoch's state includes every record an earlier epoch got
/// acknowledged, so a client that keeps the highest position it has seen and asks every read for at least that
/// gets read-your-writes and monotonic reads, across failovers too (docs/architecture.md, "Consistency").
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("OrleansFs.JournalPosition")]
public readonly record struct JournalPosition(
    [property: Id(0)] long Epoch,
    [property: Id(1)] long Sequence) : IComparable<JournalPosition>
{
    public static readonly JournalPosition None = default;

    public int CompareTo(JournalPosition other) =>
        Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(JournalPosition left, JournalPosition right) => left.CompareTo(right) < 0;
    public static bool operator >(JournalPosition left, JournalPosition right) => left.CompareTo(right) > 0;
    public static bool operator <=(JournalPosition left, JournalPosition right) => left.CompareTo(right) <= 0;
    public static bool operator >=(JournalPosition left, JournalPosition right) => left.CompareTo(right) >= 0;

    public static JournalPosition Max(JournalPosition left, JournalPosition right) => left >= right ? left : right;

    /// <summary>"epoch:sequence", as logs and `ofs stat -v` show it.</summary>
    public override string ToString() => $"{Epoch}:{Sequence}";
}
