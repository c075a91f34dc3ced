using System.Text;
using OrleansFs.Files;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Master.Retry;
using OrleansFs.Grains.Master.State;

namespace OrleansFs.Tests.Master;

/// <summary>Every field of a master state as text, so two states can be compared and a difference read.</summary>
public static class NamespaceDump
{
    public static string Of(MasterState state, RetryCache? retry, int takeoversToSkipAtEnd = 0)
    {
        var text = new StringBuilder();
        text.AppendLine($"next={state.NextInodeId} files={state.FileCount} dirs={state.DirectoryCount} inodes={state.Inodes.Count}");
        foreach (var inode in state.Inodes.Values()) text.AppendLine(Describe(inode));
        text.AppendLine("ttl=" + string.Join(',', state.TtlInodes.Order()));
        foreach (var entry in retry?.Entries() ?? [])
        {
            var r = entry.Result;
            text.AppendLine($"retry {entry.RequestId} t={entry.TimeMs} ok={r.Succeeded} {r.ErrorCode} {r.ErrorPath} {r.ErrorReason} " +
                            (r.Status is null ? "-" : Describe(r.Status)) + (r.LineageId is { } lineage ? $" lineage={lineage}" : ""));
        }
        text.AppendLine($"lineages next={state.Lineages.NextId} count={state.Lineages.Count}");
        foreach (var lineage in state.Lineages.Lineages.Values) text.AppendLine(Describe(lineage));
        foreach (var takeover in state.Takeovers.Take(state.Takeovers.Count - takeoversToSkipAtEnd)) text.AppendLine(takeover.ToString());
        return text.ToString();
    }

    private static string Describe(LineageRecord l) =>
        $"lineage {l.Id} in=[{string.Join(',', l.Inputs)}] out=[{string.Join(',', l.Outputs)}] job={l.Job.Kind}:{l.Job} " +
        $"args=[{string.Join('|', l.Job.Arguments)}] jobargs=[{string.Join('|', l.Job.JobArguments)}] wd={l.Job.WorkingDirectory} " +
        $"c={l.CreatedMs} run={l.RunRequested} runs=[{string.Join(',', l.Runs)}]";

    private static string Describe(FileStatus s) =>
        (s with { BlockIds = [] }).ToString() + " blocks=" + string.Join(',', s.BlockIds);

    private static string Describe(Inode i) =>
        $"{i.Id} p={i.ParentId} '{i.Name}' dir={i.IsDirectory} c={i.CreationTimeMs} m={i.ModificationTimeMs} pin={i.Pinned} ttl={i.TtlMs}/{i.TtlAction} " +
        $"ps={i.PersistenceState} len={i.Length} bs={i.BlockSizeBytes} done={i.Completed} wt={i.WriteType} kids=[{string.Join(',', i.Children.Select(c => $"{c.Key}:{c.Value}"))}]";
}
