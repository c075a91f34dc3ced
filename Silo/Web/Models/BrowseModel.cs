namespace OrleansFs.Silo.Web.Models;

/// <summary>
/// One page of a directory listing (or a single file, as `ls` lists a file). <see cref="Parent"/> is null at the root;
/// <see cref="After"/> is the token this page continues from (null on the first), <see cref="Next"/> the next page's.
/// </summary>
public sealed record BrowseModel(string Path, string? Parent, bool IsDirectory, IReadOnlyList<EntryModel> Entries,
    string? After = null, string? Next = null);
