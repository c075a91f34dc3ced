using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;

namespace OrleansFs.TestSupport.Chaos;

/// <summary>
/// The check after a chaos run: every acknowledged operation is looked up in the namespace (an acknowledged
/// create exists, a rename moved, a delete removed, a write reads back byte for byte).
/// </summary>
public sealed record ChaosTally(int Acknowledged, int ReflectedOnce, int Lost, int Doubled, int Unknown, long PersistedBytesVerified,
    IReadOnlyList<string> Problems)
{
    public override string ToString() =>
        $"acknowledged {Acknowledged} / reflected exactly once {ReflectedOnce} / lost {Lost} / doubled {Doubled} / unknown (timed out or failed) {Unknown}; " +
        $"persisted bytes verified {PersistedBytesVerified:N0}";

    public static async Task<ChaosTally> CheckAsync(IFileSystem fs, FileDataClient data, IReadOnlyCollection<ChaosOperation> ledger)
    {
        var acknowledged = ledger.Where(o => o.Acknowledged).ToList();
        var unknownPaths = ledger.Where(o => o.Unknown).Select(o => o.Path).ToHashSet();
        var ackByPath = acknowledged.GroupBy(o => o.Path).ToDictionary(g => g.Key, g => g.ToList());
        var problems = ledger.Where(o => o.Doubled).Select(o => "doubled: " + o.Describe()).ToList();
        int reflected = 0, lost = 0;
        long bytes = 0;
        foreach (var operation in acknowledged)
        {
            var later = ackByPath[operation.Path];
            string? problem = operation.Op switch
            {
                ChaosOp.Create when later.Any(o => o.Op is ChaosOp.Rename or ChaosOp.Delete) => null, // checked through them
                ChaosOp.Create when unknownPaths.Contains(operation.Path) => null, // a rename or delete of it may have applied
                ChaosOp.Create => await fs.ExistsAsync(operation.Path) ? null : "missing",
                ChaosOp.Rename => await fs.ExistsAsync(operation.Path) ? "source still exists"
                    : await fs.ExistsAsync(operation.Target!) ? null : "target missing",
                ChaosOp.Delete => await fs.ExistsAsync(operation.Path) ? "still exists" : null,
                ChaosOp.Write => await CheckWriteAsync(data, operation),
                _ => "unknown operation",
            };
            if (problem is null)
            {
                reflected++;
                if (operation.Op == ChaosOp.Write) bytes += operation.DataLength;
            }
            else
            {
                lost++;
                problems.Add($"{problem}: {operation.Describe()}");
            }
        }
        return new ChaosTally(acknowledged.Count, reflected, lost, ledger.Count(o => o.Doubled), ledger.Count(o => o.Unknown), bytes, problems);
    }

    private static async Task<string?> CheckWriteAsync(FileDataClient data, ChaosOperation write)
    {
        try
        {
            await using var stream = await data.OpenFileAsync(write.Path);
            var read = new byte[write.DataLength + 1];
            int total = 0, n;
            while ((n = await stream.ReadAsync(read.AsMemory(total))) > 0 && total < read.Length) total += n;
            if (total != write.DataLength) return $"{total} bytes read, {write.DataLength} written";
            return read.AsSpan(0, total).SequenceEqual(ChaosWorkload.ContentOf(write.Path, write.DataLength)) ? null : "bytes differ";
        }
        catch (FsException e)
        {
            return $"unreadable: {e.Message}";
        }
    }
}
