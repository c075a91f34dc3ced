using OrleansFs.Files;
using OrleansFs.Lineage;

namespace OrleansFs.Grains.Lineage.Recompute;

/// <summary>One output of a lineage as a run sees it: its place in the record, and the file now at its path.</summary>
public sealed record OutputFile(int Index, LineageOutput Output, FileStatus Status)
{
    public string Path => Output.Path;
}
