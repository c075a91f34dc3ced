using System.Collections.Immutable;

namespace OrleansFs.Grains.Master.Inodes;

/// <summary>Builds a directory's child map from names already in ordinal order (checkpoint load).</summary>
public static class SortedChildren
{
    public static ImmutableSortedDictionary<string, long> FromSorted(List<KeyValuePair<string, long>> sorted)
    {
        var builder = Inode.EmptyChildren.ToBuilder();
        foreach (var (name, id) in sorted)
            if (!builder.TryAdd(name, id)) throw new InvalidDataException($"duplicate child name '{name}' in directory");
        return builder.ToImmutable();
    }
}
