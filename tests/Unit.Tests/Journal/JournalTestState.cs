using System.Text;
using OrleansFs.Grains.Journal;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// A stand-in for the master's state in journal tests: the payloads applied so far, in order. It can write
/// itself as a checkpoint and load one back, like the master does.
/// </summary>
public sealed class JournalTestState
{
    public const ushort RecordType = 7;
    public List<string> Entries { get; } = [];
    public List<long> Sequences { get; } = [];
    public int CheckpointsLoaded { get; private set; }

    /// <summary>Recovers <paramref name="journal"/> into a fresh state.</summary>
    public static async Task<(TJournal Journal, JournalTestState State, JournalRecoveryResult Result)> RecoverAsync<TJournal>(TJournal journal)
        where TJournal : IJournal
    {
        var state = new JournalTestState();
        var result = await journal.RecoverAsync(state.LoadCheckpointAsync, state.Apply, CancellationToken.None);
        return (journal, state, result);
    }

    /// <summary>Recovers <paramref name="journal"/>, appends <paramref name="texts"/> one after another, and closes it.</summary>
    public static async Task<JournalTestState> WriteAsync(IJournal journal, string[] texts)
    {
        var (_, state, _) = await RecoverAsync(journal);
        await using (journal)
        {
            foreach (string text in texts) await journal.Append(RecordType, Payload(text));
        }
        return state;
    }

    public void Apply(JournalRecord record)
    {
        Assert.Equal(RecordType, record.Type);
        Entries.Add(Encoding.UTF8.GetString(record.Payload.Span));
        Sequences.Add(record.Sequence);
    }

    public async Task LoadCheckpointAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line) Entries.Add(line);
        CheckpointsLoaded++;
    }

    public static Func<Stream, CancellationToken, Task> Snapshot(IEnumerable<string> entries) => async (stream, ct) =>
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        foreach (string entry in entries) await writer.WriteLineAsync(entry.AsMemory(), ct);
    };

    public static ReadOnlyMemory<byte> Payload(string text) => Encoding.UTF8.GetBytes(text);
}
