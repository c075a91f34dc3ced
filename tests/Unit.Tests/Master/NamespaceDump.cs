using System.Text;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Master.State;

namespace OrleansFs.Tests.Master;

/// <summary>Every field of a master state as text, so two states can be compared and a difference read.</summary>
public static class NamespaceDump
{
    public static string Of(MasterState state, int takeoversToSkipAtEnd = 0)
    {
        var text = new StringBuilder();
        text.AppendLine($"next={state.NextInodeId} files={state.FileCount} dirs={state.DirectoryCount} inodes={state.Inodes.Count}");
        foreach (var inode in state.Inodes.Values()) text.AppendLine(Describe(inode));
        text.AppendLine("ttl=" + string.Join(',', state.TtlInodes.Order()));
        foreach (var entry in state.Retry.Entries())
        {
            var r = entry.Result;
            text.AppendLine($"retry {entry.RequestId} t={entry.TimeMs} ok={r.Succeeded} {r.ErrorCode} {r.ErrorPath} {r.ErrorReason} " +
                            (r.Status is null ? "-" : Describe(r.Status)));
        }
        foreach (var takeover in state.Takeovers.Take(state.Takeovers.Count - takeoversToSkipAtEnd)) text.AppendLine(takeover.ToString());
        return text.ToString();
    }

    private static string Describe(FileStatus s) =>
        (s with { BlockIds = [] }).ToString() + " blocks=" + string.Join(',', s.BlockIds);

    private static string Describe(Inode i) =>
        $"{i.Id} p={i.ParentId} '{i.Name}' dir={i.IsDirectory} c={i.CreationTimeMs} m={i.ModificationTimeMs} pin={i.Pinned} ttl={i.TtlMs}/{i.TtlAction} " +
        $"ps={i.PersistenceState} len={i.Length} bs={i.BlockSizeBytes} done={i.Completed} wt={i.WriteType} kids=[{string.Join(',', i.Children.Select(c => $"{c.Key}:{c.Value}"))}]";
}
