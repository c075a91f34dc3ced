using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Master.State;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Lineage.Records;

/// <summary>
/// The checks a new lineage passes before anything is written, as Tachyon's lineage master made them: every path
/// valid and named once; inputs exist and are complete files (persisted, or made by another lineage, which can
/// rebuild them); outputs do not exist yet; and no output is something the inputs are made from (a cycle).
/// </summary>
public static class LineageValidation
{
    public const int MaxFiles = 10_000;

    /// <summary>Checks the inputs and returns them bound to their files; throws <see cref="FsException"/> on the first problem.</summary>
    public static IReadOnlyList<LineageFile> CheckInputs<TLookup>(TLookup inodes, LineageTable table, IReadOnlyList<string> inputs)
        where TLookup : IInodeLookup
    {
        var parsed = ParseAll(inputs, "input");
        var files = new List<LineageFile>(parsed.Count);
        foreach (var path in parsed)
        {
            var inode = PathResolver.Resolve(inodes, path, out _, out _)
                        ?? throw new FsException(FsErrorCode.NotFound, path.Value, "lineage input does not exist");
            if (inode.IsDirectory) throw new FsException(FsErrorCode.IsADirectory, path.Value, "a lineage input must be a file");
            if (table.ProducerOf(inode.Id) is null) CheckComplete(path, inode);
            files.Add(new LineageFile(inode.Id, path.Value));
        }
        return files;
    }

    /// <summary>
    /// Checks the outputs against the inputs already checked: none may exist, and one that exists and is upstream of
    /// the inputs (an input itself, or a file an input's lineage is made from) is reported as the cycle it would close.
    /// </summary>
    public static IReadOnlyList<FsPath> CheckOutputs<TLookup>(TLookup inodes, LineageTable table, IReadOnlyList<LineageFile> inputs,
        IReadOnlyList<string> outputs) where TLookup : IInodeLookup
    {
        var parsed = ParseAll(outputs, "output");
        if (parsed.Count == 0) throw FsException.InvalidArgument(null, "a lineage needs at least one output");
        IReadOnlySet<long>? upstream = null;
        foreach (var path in parsed)
        {
            if (path.IsRoot) throw FsException.InvalidArgument(path.Value, "the root directory cannot be a lineage output");
            if (PathResolver.Resolve(inodes, path, out _, out _) is not { } existing) continue;
            upstream ??= table.Upstream(inputs.Select(i => i.FileId!.Value));
            if (upstream.Contains(existing.Id))
                throw FsException.InvalidArgument(path.Value, inputs.Any(i => i.FileId == existing.Id)
                    ? "is both an input and an output: a lineage cannot make what it reads (cycle)"
                    : "is what the inputs are made from: making it from them would close a cycle");
            throw new FsException(FsErrorCode.AlreadyExists, path.Value, "a lineage output must be a new file: it already exists");
        }
        return parsed;
    }

    private static void CheckComplete(FsPath path, Inode inode)
    {
        if (!inode.Completed)
            throw new FsException(FsErrorCode.FileIncomplete, path.Value, "lineage input is still being written and no lineage makes it");
        if (inode.PersistenceState != PersistenceState.Persisted)
            throw FsException.InvalidArgument(path.Value,
                $"lineage input is {Describe(inode.PersistenceState)} and no lineage makes it: persist it first (ofs persist)");
    }

    private static string Describe(PersistenceState state) => state switch
    {
        PersistenceState.ToBePersisted => "still being persisted",
        PersistenceState.Lost => "lost",
        _ => "not persisted",
    };

    private static List<FsPath> ParseAll(IReadOnlyList<string>? paths, string role)
    {
        paths ??= [];
        if (paths.Count > MaxFiles) throw FsException.InvalidArgument(null, $"a lineage takes at most {MaxFiles} {role}s, not {paths.Count}");
        var parsed = new List<FsPath>(paths.Count);
        var seen = new HashSet<FsPath>();
        foreach (string path in paths)
        {
            var p = FsPath.Parse(path);
            if (!seen.Add(p)) throw FsException.InvalidArgument(p.Value, $"is named twice as a lineage {role}");
            parsed.Add(p);
        }
        return parsed;
    }
}
