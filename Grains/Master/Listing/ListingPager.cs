using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master.Inodes;

namespace OrleansFs.Grains.Master.Listing;

/// <summary>
/// Cuts a listing into pages. A page walks depth-first in name order (each directory before its contents, as the
/// whole listing always did) from the entry after the token's, through <see cref="Inode.ChildrenAfter"/> only, so a
/// page costs the page and the depth of the token's path, never the size of the directory.
/// </summary>
public static class ListingPager
{
    /// <summary>
    /// One page of the directory <paramref name="directory"/> at <paramref name="path"/>; <paramref name="statusOf"/> makes
    /// each entry. The token of the returned page is null when nothing follows its last entry.
    /// </summary>
    public static ListingPage Page(InodeMap inodes, Inode directory, string path, ListingToken? resume, bool recursive, int limit,
        Func<Inode, string, FileStatus> statusOf)
    {
        var frames = new Stack<Frame>();
        try
        {
            if (resume is { } token) Descend(frames, inodes, directory, path, token, recursive);
            else frames.Push(new Frame(directory.ChildrenAfter(null).GetEnumerator(), path));
            var entries = new List<FileStatus>(Math.Min(limit, directory.Children.Count + 1));
            string? last = null;
            bool more = false;
            while (frames.Count > 0)
            {
                var top = frames.Peek();
                if (!top.Children.MoveNext())
                {
                    frames.Pop().Children.Dispose();
                    continue;
                }
                if (entries.Count == limit)
                {
                    more = true;
                    break;
                }
                var (name, id) = top.Children.Current;
                var child = inodes[id];
                last = Join(top.Path, name);
                entries.Add(statusOf(child, last));
                if (recursive && child.IsDirectory) frames.Push(new Frame(child.ChildrenAfter(null).GetEnumerator(), last));
            }
            string? next = more ? new ListingToken(recursive, directory.Id, last!).Encode() : null;
            return new ListingPage { Entries = entries, ContinuationToken = next };
        }
        finally
        {
            while (frames.Count > 0) frames.Pop().Children.Dispose();
        }
    }

    /// <summary>
    /// Rebuilds the walk's stack at the token's entry: after each of its ancestors in their parents, and inside the
    /// entry itself when it is (still) a directory of a recursive listing. An ancestor deleted meanwhile ends the
    /// descent: the walk resumes after its name, as nothing of it is left to list.
    /// </summary>
    private static void Descend(Stack<Frame> frames, InodeMap inodes, Inode directory, string path, ListingToken token, bool recursive)
    {
        string[] names = token.Components(path);
        var current = directory;
        string currentPath = path;
        for (int i = 0; i < names.Length; i++)
        {
            string name = names[i];
            frames.Push(new Frame(current.ChildrenAfter(name).GetEnumerator(), currentPath));
            bool isLast = i == names.Length - 1;
            if (!current.Children.TryGetValue(name, out long id) || inodes.Get(id) is not { IsDirectory: true } next) return;
            if (isLast && !recursive) return;
            current = next;
            currentPath = Join(currentPath, name);
            if (isLast) frames.Push(new Frame(current.ChildrenAfter(null).GetEnumerator(), currentPath));
        }
    }

    /// <summary>
    /// The directory a token resumes: the one at the path still, with the inode id the token names. Otherwise it was
    /// deleted, renamed or replaced since the previous page: NotFound, saying so.
    /// </summary>
    public static void CheckSameDirectory(Inode? inode, string path, ListingToken token)
    {
        if (inode is { IsDirectory: true } && inode.Id == token.DirectoryId) return;
        throw new FsException(FsErrorCode.NotFound, path,
            "the directory this listing continues was deleted, renamed or replaced since the previous page; start the listing again");
    }

    public static void CheckLimit(int limit, string path)
    {
        if (limit is < 1 or > ListingRequest.MaxLimit)
            throw FsException.InvalidArgument(path, $"a listing page holds 1 to {ListingRequest.MaxLimit} entries, not {limit}");
    }

    private static string Join(string directory, string name) => directory.Length == 1 ? "/" + name : directory + "/" + name;

    private sealed record Frame(IEnumerator<KeyValuePair<string, long>> Children, string Path);
}
