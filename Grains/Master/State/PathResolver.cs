using OrleansFs.Errors;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Master.State;

/// <summary>Walks a path from the root through directory children.</summary>
public static class PathResolver
{
    /// <summary>
    /// Returns the inode at <paramref name="path"/>, or null when it does not exist. <paramref name="deepest"/>
    /// is the deepest existing directory on the way and <paramref name="found"/> how many segments exist.
    /// Throws NotADirectory (naming <paramref name="path"/>) when a file sits where a directory should be.
    /// </summary>
    public static Inode? Resolve<TLookup>(TLookup inodes, FsPath path, out Inode deepest, out int found)
        where TLookup : IInodeLookup
    {
        Inode current = inodes.Get(Inode.RootId)!;
        found = 0;
        if (path.IsRoot)
        {
            deepest = current;
            return current;
        }
        string value = path.Value;
        int start = 1;
        while (true)
        {
            int slash = value.IndexOf('/', start);
            int end = slash < 0 ? value.Length : slash;
            if (!current.IsDirectory)
                throw new FsException(FsErrorCode.NotADirectory, value, $"{value[..(start - 1)]} is not a directory");
            if (!current.Children.TryGetValue(value.AsSpan(start, end - start), out long childId))
            {
                deepest = current;
                return null;
            }
            current = inodes.Get(childId)!;
            found++;
            if (slash < 0)
            {
                deepest = current;
                return current;
            }
            start = slash + 1;
        }
    }
}
