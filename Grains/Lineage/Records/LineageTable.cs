using System.Collections.Immutable;
using OrleansFs.Errors;
using OrleansFs.Grains.Master.Entries;

namespace OrleansFs.Grains.Lineage.Records;

/// <summary>
/// Every lineage the master holds, with two indexes over file ids: which lineage makes a file (its producer) and
/// which lineages read it (its consumers). Immutable, like the rest of <c>MasterState</c>: each change returns a new
/// table, and a refused change throws <see cref="FsException"/> before building anything. The indexes are derived
/// from the records, so a checkpoint writes only the records.
/// </summary>
public sealed record LineageTable
{
    public static LineageTable Empty { get; } = new();

    /// <summary>Lineages by id, in id order.</summary>
    public ImmutableSortedDictionary<long, LineageRecord> Lineages { get; private init; } = ImmutableSortedDictionary<long, LineageRecord>.Empty;
    /// <summary>The id the next lineage gets; ids are never reused.</summary>
    public long NextId { get; private init; } = 1;
    private ImmutableDictionary<long, long> Producers { get; init; } = ImmutableDictionary<long, long>.Empty;
    private ImmutableDictionary<long, ImmutableSortedSet<long>> Consumers { get; init; } = ImmutableDictionary<long, ImmutableSortedSet<long>>.Empty;

    public int Count => Lineages.Count;

    /// <summary>A table from a checkpoint's records; the indexes are rebuilt.</summary>
    public static LineageTable Load(long nextId, IEnumerable<LineageRecord> records)
    {
        var table = Empty with { NextId = nextId };
        foreach (var record in records)
        {
            if (record.Id >= nextId) throw new InvalidDataException($"lineage {record.Id} is not below the next lineage id {nextId}");
            table = table.Put(record);
        }
        return table;
    }

    public LineageRecord? Get(long id) => Lineages.GetValueOrDefault(id);

    /// <summary>The lineage whose output the file is, or null.</summary>
    public long? ProducerOf(long fileId) => Producers.TryGetValue(fileId, out long id) ? id : null;

    /// <summary>The lineages that read the file.</summary>
    public IReadOnlyCollection<long> ConsumersOf(long fileId) =>
        Consumers.TryGetValue(fileId, out var ids) ? ids : ImmutableSortedSet<long>.Empty;

    /// <summary>True when the file is an input or an output of some lineage.</summary>
    public bool IsBound(long fileId) => Producers.ContainsKey(fileId) || Consumers.ContainsKey(fileId);

    /// <summary>Lineages whose outputs this lineage reads.</summary>
    public IReadOnlyList<long> ParentsOf(LineageRecord record) =>
        record.Inputs.Where(f => f.IsBound).Select(f => ProducerOf(f.FileId!.Value)).OfType<long>().Distinct().Order().ToList();

    /// <summary>Lineages that read this lineage's outputs.</summary>
    public IReadOnlyList<long> ChildrenOf(LineageRecord record) =>
        record.Outputs.Where(f => f.IsBound).SelectMany(f => ConsumersOf(f.FileId!.Value)).Distinct().Order().ToList();

    /// <summary>
    /// The files these files are made from, themselves included: each one's producer's inputs, recursively. A new
    /// lineage whose output would be one of them closes a cycle.
    /// </summary>
    public IReadOnlySet<long> Upstream(IEnumerable<long> fileIds)
    {
        var seen = new HashSet<long>();
        var pending = new Stack<long>(fileIds);
        while (pending.Count > 0)
        {
            long file = pending.Pop();
            if (!seen.Add(file) || ProducerOf(file) is not { } producer) continue;
            foreach (var input in Lineages[producer].Inputs)
                if (input.FileId is { } id) pending.Push(id);
        }
        return seen;
    }

    /// <summary>The lineage and every lineage downstream of it, the lineage itself first.</summary>
    public IReadOnlyList<long> Downstream(long id)
    {
        var order = new List<long>();
        var seen = new HashSet<long>();
        var pending = new Queue<long>([id]);
        while (pending.Count > 0)
        {
            long next = pending.Dequeue();
            if (!seen.Add(next)) continue;
            order.Add(next);
            foreach (long child in ChildrenOf(Lineages[next])) pending.Enqueue(child);
        }
        return order;
    }

    /// <summary>Records a new lineage over files that exist (the caller checked them) and returns its id.</summary>
    public LineageTable Add(IReadOnlyList<LineageFile> inputs, IReadOnlyList<LineageFile> outputs, LineageJobData job,
        long createdMs, bool runRequested, out long id)
    {
        foreach (var output in outputs)
            if (output.FileId is { } file && ProducerOf(file) is { } other)
                throw FsException.InvalidArgument(output.Path, $"is already an output of lineage {other}");
        id = NextId;
        var record = new LineageRecord(id, [.. inputs], [.. outputs], job, createdMs, runRequested, []);
        return Put(record) with { NextId = id + 1 };
    }

    /// <summary>
    /// Forgets a lineage; its outputs stay as plain files. One that others read is refused unless
    /// <paramref name="cascade"/>, which forgets every lineage downstream too. Returns the ids removed.
    /// </summary>
    public LineageTable Remove(long id, bool cascade, out IReadOnlyList<long> removed)
    {
        var record = Get(id) ?? throw NotFound(id);
        var children = ChildrenOf(record);
        if (!cascade && children.Count > 0)
            throw FsException.InvalidArgument(null,
                $"lineage {id} has downstream lineages {string.Join(", ", children)}: delete them first, or delete with cascade");
        removed = cascade ? Downstream(id) : [id];
        var table = this;
        foreach (long gone in removed) table = table.Drop(table.Lineages[gone]);
        return table;
    }

    /// <summary>A bound file was deleted: every lineage that names it keeps <paramref name="path"/> and no file id.</summary>
    public LineageTable Unbind(long fileId, string path)
    {
        if (!IsBound(fileId)) return this;
        var table = this;
        var touched = ConsumersOf(fileId).ToList();
        if (ProducerOf(fileId) is { } producer) touched.Add(producer);
        foreach (long id in touched.Distinct())
        {
            var record = table.Lineages[id];
            table = table.Drop(record).Put(record with
            {
                Inputs = Replace(record.Inputs, fileId, f => f with { FileId = null, Path = path }),
                Outputs = Replace(record.Outputs, fileId, f => f with { FileId = null, Path = path }),
            });
        }
        return table;
    }

    /// <summary>
    /// The file <paramref name="oldFileId"/> was replaced at its path by <paramref name="newFileId"/> (an overwrite):
    /// every lineage that named the old file names the new one, and an output's checksum is forgotten (new bytes).
    /// </summary>
    public LineageTable Rebind(long oldFileId, long newFileId)
    {
        if (!IsBound(oldFileId)) return this;
        var table = this;
        var touched = ConsumersOf(oldFileId).ToList();
        if (ProducerOf(oldFileId) is { } producer) touched.Add(producer);
        foreach (long id in touched.Distinct())
        {
            var record = table.Lineages[id];
            table = table.Drop(record).Put(record with
            {
                Inputs = Replace(record.Inputs, oldFileId, f => f with { FileId = newFileId }),
                Outputs = Replace(record.Outputs, oldFileId, f => f with { FileId = newFileId, Checksum = null }),
            });
        }
        return table;
    }

    /// <summary>Adds an attempt of the lineage's job, or replaces the one with the same run id and attempt.</summary>
    public LineageTable RecordRun(long id, LineageRunData run)
    {
        var record = Get(id) ?? throw NotFound(id);
        if (run.RunId < 1 || run.Attempt < 1)
            throw FsException.InvalidArgument(null, $"run {run.RunId} attempt {run.Attempt}: run ids and attempts start at 1");
        return this with { Lineages = Lineages.SetItem(id, record.WithRun(run)) };
    }

    /// <summary>Keeps the checksum of an output's first completed bytes; a later one does not replace it.</summary>
    public LineageTable RecordChecksum(long id, long fileId, string path, ulong checksum)
    {
        var record = Get(id) ?? throw NotFound(id);
        int index = -1;
        for (int i = 0; i < record.Outputs.Length && index < 0; i++)
            if (record.Outputs[i].FileId == fileId) index = i;
        if (index < 0) throw FsException.InvalidArgument(path, $"is not an output of lineage {id}");
        var output = record.Outputs[index];
        if (output.Checksum is not null) return this;
        return this with { Lineages = Lineages.SetItem(id, record with { Outputs = record.Outputs.SetItem(index, output with { Checksum = checksum }) }) };
    }

    public static FsException NotFound(long id) => new(FsErrorCode.NotFound, null, $"no lineage {id}");

    private static ImmutableArray<LineageFile> Replace(ImmutableArray<LineageFile> files, long fileId, Func<LineageFile, LineageFile> change) =>
        files.Select(f => f.FileId == fileId ? change(f) : f).ToImmutableArray();

    /// <summary>Adds a record and its files to the indexes.</summary>
    private LineageTable Put(LineageRecord record)
    {
        var producers = Producers.ToBuilder();
        foreach (var output in record.Outputs)
            if (output.FileId is { } file) producers[file] = record.Id;
        var consumers = Consumers;
        foreach (var input in record.Inputs)
            if (input.FileId is { } file)
                consumers = consumers.SetItem(file, consumers.GetValueOrDefault(file, ImmutableSortedSet<long>.Empty).Add(record.Id));
        return this with { Lineages = Lineages.SetItem(record.Id, record), Producers = producers.ToImmutable(), Consumers = consumers };
    }

    /// <summary>Removes a record and its files from the indexes.</summary>
    private LineageTable Drop(LineageRecord record)
    {
        var producers = Producers;
        foreach (var output in record.Outputs)
            if (output.FileId is { } file && producers.GetValueOrDefault(file, -1) == record.Id) producers = producers.Remove(file);
        var consumers = Consumers;
        foreach (var input in record.Inputs)
        {
            if (input.FileId is not { } file || !consumers.TryGetValue(file, out var readers)) continue;
            readers = readers.Remove(record.Id);
            consumers = readers.IsEmpty ? consumers.Remove(file) : consumers.SetItem(file, readers);
        }
        return this with { Lineages = Lineages.Remove(record.Id), Producers = producers, Consumers = consumers };
    }
}
