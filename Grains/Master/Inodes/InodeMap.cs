namespace OrleansFs.Grains.Master.Inodes;

/// <summary>
/// A persistent map from inode id to <see cref="Inode"/>: a 32-way trie over the id's bits. Ids are
/// handed out in order, so the trie stays dense and shallow (four levels for a million inodes). An
/// update copies one path of small arrays and shares the rest, so any older version stays valid: a
/// checkpoint snapshot is just a reference to the map. Use <see cref="Edit"/> for many updates at once.
/// </summary>
public sealed class InodeMap : IInodeLookup
{
    internal const int Bits = 5;
    internal const int Width = 1 << Bits;
    internal const int Mask = Width - 1;

    private readonly object?[] _root;
    private readonly int _shift;

    public static InodeMap Empty { get; } = new(new object?[Width + 1], 0, 0);

    public int Count { get; }

    private InodeMap(object?[] root, int shift, int count)
    {
        _root = root;
        _shift = shift;
        Count = count;
    }

    public Inode? Get(long id) => Find(_root, _shift, id);

    public Inode this[long id] => Get(id) ?? throw new KeyNotFoundException($"inode {id} is missing");

    public Editor Edit() => new(_root, _shift, Count);

    /// <summary>All inodes in id order.</summary>
    public IEnumerable<Inode> Values() => Walk(_root, _shift);

    private static Inode? Find(object?[] root, int rootShift, long id)
    {
        if (id < 0 || (ulong)id >> (rootShift + Bits) != 0) return null;
        object?[]? node = root;
        for (int shift = rootShift; shift > 0; shift -= Bits)
        {
            node = (object?[]?)node[(int)((id >> shift) & Mask)];
            if (node is null) return null;
        }
        return (Inode?)node[(int)(id & Mask)];
    }

    private static IEnumerable<Inode> Walk(object?[] node, int shift)
    {
        for (int i = 0; i < Width; i++)
        {
            object? slot = node[i];
            if (slot is null) continue;
            if (shift == 0) yield return (Inode)slot;
            else foreach (var inode in Walk((object?[])slot, shift - Bits)) yield return inode;
        }
    }

    /// <summary>
    /// A short-lived, single-threaded editor: arrays it has already copied are its own and are changed in
    /// place, so a batch of updates copies each path once. The map it started from is never touched.
    /// Ownership is marked in each array's extra last slot (a token object), which is cheaper than a set.
    /// </summary>
    public sealed class Editor : IInodeLookup
    {
        private object _token = new();
        private object?[] _root;
        private int _shift;
        private int _count;

        internal Editor(object?[] root, int shift, int count)
        {
            _root = root;
            _shift = shift;
            _count = count;
        }

        public int Count => _count;

        public Inode? Get(long id) => Find(_root, _shift, id);

        public Inode this[long id] => Get(id) ?? throw new KeyNotFoundException($"inode {id} is missing");

        public void Set(Inode inode) => Put(inode.Id, inode);

        public void Remove(long id) => Put(id, null);

        public InodeMap ToMap()
        {
            // The result shares the arrays, so this editor must never write them again.
            _token = new object();
            return new InodeMap(_root, _shift, _count);
        }

        private void Put(long id, Inode? value)
        {
            if (id < 0) throw new ArgumentOutOfRangeException(nameof(id), id, "inode ids are not negative");
            while ((ulong)id >> (_shift + Bits) != 0)
            {
                if (value is null) return;
                var grown = Own(new object?[Width + 1]);
                grown[0] = _root;
                _root = grown;
                _shift += Bits;
            }
            _root = Writable(_root);
            object?[] node = _root;
            for (int shift = _shift; shift > 0; shift -= Bits)
            {
                int index = (int)((id >> shift) & Mask);
                var child = (object?[]?)node[index];
                if (child is null)
                {
                    if (value is null) return;
                    child = Own(new object?[Width + 1]);
                }
                else child = Writable(child);
                node[index] = child;
                node = child;
            }
            int leaf = (int)(id & Mask);
            if (node[leaf] is null && value is not null) _count++;
            else if (node[leaf] is not null && value is null) _count--;
            node[leaf] = value;
        }

        private object?[] Writable(object?[] node) => ReferenceEquals(node[Width], _token) ? node : Own((object?[])node.Clone());

        private object?[] Own(object?[] node)
        {
            node[Width] = _token;
            return node;
        }
    }
}
