using System.Collections;

namespace OrleansFs.Grains.Master.Inodes;

/// <summary>
/// A directory's children: names (ordinal order) to inode ids, as a persistent B+ tree. Leaves are arrays of
/// (name, id) pairs sized exactly to their contents, so a child costs 16 bytes plus a share of one array
/// header (a balanced-tree node per child cost about 56). Names are the child inodes' own strings, not copies.
/// A change copies one leaf (at most <see cref="LeafMax"/> pairs) and the branches above it, and shares the
/// rest, so an older version (held by a checkpoint, a standby or a retry-cache entry) never changes, and
/// adding to a directory of a million children stays cheap.
/// </summary>
public sealed class SortedChildren : IEnumerable<KeyValuePair<string, long>>
{
    internal const int LeafMax = 32;
    internal const int BranchMax = 32;

    // A leaf is a KeyValuePair<string, long>[]; a branch is a Branch. Null when empty.
    private readonly object? _root;

    public static SortedChildren Empty { get; } = new(null, 0);

    public int Count { get; }

    private SortedChildren(object? root, int count)
    {
        _root = root;
        Count = count;
    }

    public bool TryGetValue(ReadOnlySpan<char> name, out long id)
    {
        id = 0;
        object? node = _root;
        if (node is null) return false;
        while (node is Branch branch) node = branch.Children[branch.ChildFor(name)];
        var leaf = (KeyValuePair<string, long>[])node;
        int index = Search(leaf, name);
        if (index < 0) return false;
        id = leaf[index].Value;
        return true;
    }

    public bool ContainsKey(string name) => TryGetValue(name, out _);

    /// <summary>This map plus <paramref name="name"/>; throws when the name is already there.</summary>
    public SortedChildren Add(string name, long id)
    {
        if (_root is null) return new(new KeyValuePair<string, long>[] { new(name, id) }, 1);
        var (left, right) = Insert(_root, name, id);
        object root = right is null ? left : new Branch([null, LowKey(right)], [left, right]);
        return new(root, Count + 1);
    }

    /// <summary>This map without <paramref name="name"/> (itself when the name is absent).</summary>
    public SortedChildren Remove(string name)
    {
        if (_root is null) return this;
        var (root, removed) = Delete(_root, name);
        if (!removed) return this;
        if (root is null) return Empty;
        while (root is Branch { Children.Length: 1 } single) root = single.Children[0];
        return new(root, Count - 1);
    }

    /// <summary>Children whose names sort strictly after <paramref name="after"/> (all for null), in order: O(log n) to start.</summary>
    public IEnumerable<KeyValuePair<string, long>> After(string? after) =>
        _root is null ? [] : Walk(_root, after);

    public IEnumerator<KeyValuePair<string, long>> GetEnumerator() => After(null).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Builds the map from pairs already in strictly increasing ordinal order (checkpoint load).</summary>
    public static SortedChildren FromSorted(IEnumerable<KeyValuePair<string, long>> sorted)
    {
        var builder = new SortedBuilder();
        foreach (var (name, id) in sorted) builder.Append(name, id);
        return builder.ToChildren();
    }

    private static IEnumerable<KeyValuePair<string, long>> Walk(object node, string? after)
    {
        if (node is KeyValuePair<string, long>[] leaf)
        {
            for (int i = after is null ? 0 : UpperBound(leaf, after); i < leaf.Length; i++) yield return leaf[i];
            yield break;
        }
        var branch = (Branch)node;
        int start = after is null ? 0 : branch.ChildFor(after);
        for (int i = start; i < branch.Children.Length; i++)
            foreach (var child in Walk(branch.Children[i], i == start ? after : null))
                yield return child;
    }

    private static (object Left, object? Right) Insert(object node, string name, long id)
    {
        if (node is KeyValuePair<string, long>[] leaf)
        {
            int index = Search(leaf, name);
            if (index >= 0) throw new ArgumentException($"child '{name}' already exists", nameof(name));
            index = ~index;
            var grown = new KeyValuePair<string, long>[leaf.Length + 1];
            Array.Copy(leaf, grown, index);
            grown[index] = new(name, id);
            Array.Copy(leaf, index, grown, index + 1, leaf.Length - index);
            return grown.Length <= LeafMax ? (grown, null) : Split(grown, SplitPoint(grown.Length, index));
        }
        var branch = (Branch)node;
        int slot = branch.ChildFor(name);
        var (left, right) = Insert(branch.Children[slot], name, id);
        if (right is null) return (branch.With(slot, left), null);
        var wider = branch.Widen(slot, left, right);
        if (wider.Children.Length <= BranchMax) return (wider, null);
        int at = SplitPoint(wider.Children.Length, slot + 1);
        return (wider.Take(0, at), wider.Take(at, wider.Children.Length - at));
    }

    /// <summary>Appends at the end fill the left part, so names created in order leave full leaves, not half-full ones.</summary>
    private static int SplitPoint(int length, int inserted) =>
        inserted == length - 1 ? length - 1 : inserted == 0 ? 1 : length / 2;

    private static (object, object) Split(KeyValuePair<string, long>[] entries, int at) =>
        (entries[..at], entries[at..]);

    private static (object? Node, bool Removed) Delete(object node, string name)
    {
        if (node is KeyValuePair<string, long>[] leaf)
        {
            int index = Search(leaf, name);
            if (index < 0) return (node, false);
            if (leaf.Length == 1) return (null, true);
            var shrunk = new KeyValuePair<string, long>[leaf.Length - 1];
            Array.Copy(leaf, shrunk, index);
            Array.Copy(leaf, index + 1, shrunk, index, shrunk.Length - index);
            return (shrunk, true);
        }
        var branch = (Branch)node;
        int slot = branch.ChildFor(name);
        var (child, removed) = Delete(branch.Children[slot], name);
        if (!removed) return (node, false);
        if (child is not null) return (branch.With(slot, child), true);
        // Underfull nodes are kept (arrays are exact-sized, so they waste no slots); only empty ones go.
        return (branch.Children.Length == 1 ? null : branch.Without(slot), true);
    }

    private static string LowKey(object node)
    {
        while (node is Branch branch) node = branch.Children[0];
        return ((KeyValuePair<string, long>[])node)[0].Key;
    }

    /// <summary>Index of <paramref name="name"/>, or the bitwise complement of where it would go.</summary>
    private static int Search(KeyValuePair<string, long>[] leaf, ReadOnlySpan<char> name)
    {
        int low = 0, high = leaf.Length - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            int order = leaf[middle].Key.AsSpan().SequenceCompareTo(name);
            if (order == 0) return middle;
            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }
        return ~low;
    }

    private static int UpperBound(KeyValuePair<string, long>[] leaf, string after)
    {
        int index = Search(leaf, after);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>
    /// An inner node: child i holds names at or after <see cref="Keys"/>[i] and before Keys[i + 1]. Keys[0] is
    /// unused (null): everything before Keys[1] goes to child 0.
    /// </summary>
    private sealed class Branch(string?[] keys, object[] children)
    {
        public string?[] Keys { get; } = keys;
        public object[] Children { get; } = children;

        public int ChildFor(ReadOnlySpan<char> name)
        {
            int low = 1, high = Keys.Length - 1;
            while (low <= high)
            {
                int middle = (low + high) >>> 1;
                if (Keys[middle].AsSpan().SequenceCompareTo(name) <= 0) low = middle + 1;
                else high = middle - 1;
            }
            return low - 1;
        }

        public Branch With(int slot, object child)
        {
            var children = (object[])Children.Clone();
            children[slot] = child;
            return new(Keys, children);
        }

        public Branch Widen(int slot, object left, object right)
        {
            var keys = new string?[Keys.Length + 1];
            var children = new object[Children.Length + 1];
            Array.Copy(Keys, keys, slot + 1);
            Array.Copy(Children, children, slot);
            children[slot] = left;
            keys[slot + 1] = LowKey(right);
            children[slot + 1] = right;
            Array.Copy(Keys, slot + 1, keys, slot + 2, Keys.Length - slot - 1);
            Array.Copy(Children, slot + 1, children, slot + 2, Children.Length - slot - 1);
            return new(keys, children);
        }

        public Branch Without(int slot)
        {
            var keys = new string?[Keys.Length - 1];
            var children = new object[Children.Length - 1];
            Array.Copy(Keys, keys, slot);
            Array.Copy(Children, children, slot);
            Array.Copy(Keys, slot + 1, keys, slot, keys.Length - slot);
            Array.Copy(Children, slot + 1, children, slot, children.Length - slot);
            keys[0] = null;
            return new(keys, children);
        }

        public Branch Take(int start, int count)
        {
            var keys = Keys.AsSpan(start, count).ToArray();
            keys[0] = null;
            return new(keys, Children.AsSpan(start, count).ToArray());
        }
    }

    /// <summary>Builds a tree bottom-up from names arriving in order: full leaves, then full branches over them.</summary>
    public sealed class SortedBuilder
    {
        private readonly List<object> _leaves = new();
        private readonly List<KeyValuePair<string, long>> _pending = new(LeafMax);
        private string? _last;
        private int _count;

        public int Count => _count;

        public void Append(string name, long id)
        {
            if (_last is not null && string.CompareOrdinal(_last, name) >= 0)
                throw new InvalidDataException($"child names out of order or repeated: '{name}' after '{_last}'");
            _last = name;
            _pending.Add(new(name, id));
            _count++;
            if (_pending.Count == LeafMax) FlushLeaf();
        }

        public SortedChildren ToChildren()
        {
            if (_pending.Count > 0) FlushLeaf();
            if (_count == 0) return Empty;
            var level = _leaves;
            while (level.Count > 1)
            {
                var parents = new List<object>((level.Count + BranchMax - 1) / BranchMax);
                for (int start = 0; start < level.Count; start += BranchMax)
                {
                    int count = Math.Min(BranchMax, level.Count - start);
                    var keys = new string?[count];
                    var children = new object[count];
                    for (int i = 0; i < count; i++)
                    {
                        children[i] = level[start + i];
                        if (i > 0) keys[i] = LowKey(children[i]);
                    }
                    parents.Add(new Branch(keys, children));
                }
                level = parents;
            }
            return new(level[0], _count);
        }

        private void FlushLeaf()
        {
            _leaves.Add(_pending.ToArray());
            _pending.Clear();
        }
    }
}
