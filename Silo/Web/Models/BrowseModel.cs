namespace OrleansFs.Silo.Web.Models;

/// <summary>A directory listing (or a single file, as `ls` lists a file). <see cref="Parent"/> is null at the root.</summary>
public sealed record BrowseModel(string Path, string? Parent, bool IsDirectory, IReadOnlyList<EntryModel> Entries);
