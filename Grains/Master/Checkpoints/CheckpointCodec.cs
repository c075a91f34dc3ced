using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Cleanup;
using OrleansFs.Grains.Master.Inodes;
using OrleansFs.Grains.Master.Retry;
using OrleansFs.Grains.Master.Serialization;
using OrleansFs.Grains.Master.State;
using OrleansFs.Master;

namespace OrleansFs.Grains.Master.Checkpoints;

/// <summary>
/// Streams a whole <see cref="MasterState"/> to and from a checkpoint: a header, then length-prefixed chunks
/// of about 64 KiB, each holding whole records, so neither side ever holds the namespace as one byte array.
/// Inodes are written depth-first with children in name order, so on load each directory's children
/// arrive sorted and its child map is built in one pass.
/// </summary>
public static class CheckpointCodec
{
    public const ushort FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "OFSCKPT\n"u8;
    private const int ChunkBytes = 64 * 1024;

    // Readers skip no section, but every section is optional: a checkpoint from before Cleanups or takeover causes existed still loads.
    private enum Section : byte
    {
        Header = 1, Inodes = 2, Retry = 3, Takeovers = 4, End = 5, Cleanups = 6, TakeoverCauses = 7,
        // The lineage table's counter, its records, and the lineage ids the retry cache's CreateLineage results carry
        // (by position among the Retry section's entries).
        LineageCounter = 8, Lineages = 9, RetryLineageIds = 10,
    }

    public static void Write(MasterState state, RetryCacheSnapshot retry, Stream stream, CancellationToken cancellationToken = default)
    {
        Span<byte> preamble = stackalloc byte[10];
        Magic.CopyTo(preamble);
        BinaryPrimitives.WriteUInt16LittleEndian(preamble[8..], FormatVersion);
        stream.Write(preamble);

        var writer = new EntryWriter(ChunkBytes + 4096);
        try
        {
            Begin(ref writer, Section.Header);
            writer.WriteVarInt64(state.NextInodeId);
            writer.WriteVarInt64(state.FileCount);
            writer.WriteVarInt64(state.DirectoryCount);
            writer.WriteVarInt64(state.Inodes.Count);
            Flush(ref writer, stream);

            Begin(ref writer, Section.Inodes);
            foreach (var inode in DepthFirst(state.Inodes))
            {
                InodeCodec.Write(ref writer, inode);
                FlushIfFull(ref writer, stream, Section.Inodes, cancellationToken);
            }
            Flush(ref writer, stream);

            Begin(ref writer, Section.Retry);
            foreach (var entry in retry.Entries())
            {
                WriteRetry(ref writer, entry);
                FlushIfFull(ref writer, stream, Section.Retry, cancellationToken);
            }
            Flush(ref writer, stream);

            Begin(ref writer, Section.Takeovers);
            foreach (var takeover in state.Takeovers) WriteTakeover(ref writer, takeover);
            Flush(ref writer, stream);

            if (!state.Cleanups.IsEmpty)
            {
                Begin(ref writer, Section.Cleanups);
                foreach (var task in state.Cleanups)
                {
                    WriteCleanup(ref writer, task);
                    FlushIfFull(ref writer, stream, Section.Cleanups, cancellationToken);
                }
                Flush(ref writer, stream);
            }
            // A section of its own, in takeover order, so checkpoints written before causes existed still read.
            Begin(ref writer, Section.TakeoverCauses);
            foreach (var takeover in state.Takeovers) writer.WriteByte((byte)takeover.Cause);
            Flush(ref writer, stream);

            WriteLineages(ref writer, stream, state.Lineages, retry, cancellationToken);

            Begin(ref writer, Section.End);
            Flush(ref writer, stream);
        }
        finally
        {
            writer.Dispose();
        }
        stream.Flush();
    }

    public static (MasterState State, RetryCache Retry) Read(Stream stream, CancellationToken cancellationToken = default)
    {
        try
        {
            return ReadSections(stream, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"checkpoint ends early, at byte {(stream.CanSeek ? stream.Position : -1)}");
        }
    }

    private static (MasterState, RetryCache) ReadSections(Stream stream, CancellationToken cancellationToken)
    {
        Span<byte> preamble = stackalloc byte[10];
        stream.ReadExactly(preamble);
        if (!preamble[..8].SequenceEqual(Magic)) throw new InvalidDataException("not an OrleansFs master checkpoint (bad magic)");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..]);
        if (version != FormatVersion) throw new InvalidDataException($"checkpoint format version {version} is not supported (this master reads {FormatVersion})");

        var loader = new StateLoader();
        using var chunks = new ChunkReader(stream);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var section = (Section)chunks.ReadChunk(out var payload);
            var reader = new EntryReader(payload.Span);
            switch (section)
            {
                case Section.Header: loader.ReadHeader(ref reader); break;
                case Section.Inodes: while (reader.Remaining > 0) loader.AddInode(InodeCodec.Read(ref reader)); break;
                case Section.Retry: while (reader.Remaining > 0) loader.Retry.Add(ReadRetry(ref reader)); break;
                case Section.Takeovers: while (reader.Remaining > 0) loader.Takeovers.Add(ReadTakeover(ref reader)); break;
                case Section.Cleanups: while (reader.Remaining > 0) loader.Cleanups.Add(ReadCleanup(ref reader)); break;
                case Section.TakeoverCauses: while (reader.Remaining > 0) loader.Causes.Add((TakeoverCause)reader.ReadByte()); break;
                case Section.LineageCounter: loader.NextLineageId = reader.ReadVarInt64(); break;
                case Section.Lineages: while (reader.Remaining > 0) loader.Lineages.Add(LineageRecordCodec.Read(ref reader)); break;
                case Section.RetryLineageIds: while (reader.Remaining > 0) loader.RetryLineageIds.Add(reader.ReadVarInt64(), reader.ReadVarInt64()); break;
                case Section.End: return loader.Build();
                default: throw new InvalidDataException($"unknown checkpoint section {(byte)section}");
            }
        }
    }

    /// <summary>Written only when there is something lineage-related, so a namespace without lineage writes what it always did.</summary>
    private static void WriteLineages(ref EntryWriter writer, Stream stream, LineageTable lineages, RetryCacheSnapshot retry,
        CancellationToken cancellationToken)
    {
        if (lineages.NextId != LineageTable.Empty.NextId)
        {
            Begin(ref writer, Section.LineageCounter);
            writer.WriteVarInt64(lineages.NextId);
            Flush(ref writer, stream);
        }
        if (lineages.Count > 0)
        {
            Begin(ref writer, Section.Lineages);
            foreach (var record in lineages.Lineages.Values)
            {
                LineageRecordCodec.Write(ref writer, record);
                FlushIfFull(ref writer, stream, Section.Lineages, cancellationToken);
            }
            Flush(ref writer, stream);
        }
        long index = 0;
        bool begun = false;
        foreach (var entry in retry.Entries())
        {
            if (entry.Result.LineageId is { } id)
            {
                if (!begun) Begin(ref writer, Section.RetryLineageIds);
                begun = true;
                writer.WriteVarInt64(index);
                writer.WriteVarInt64(id);
                FlushIfFull(ref writer, stream, Section.RetryLineageIds, cancellationToken);
            }
            index++;
        }
        if (begun) Flush(ref writer, stream);
    }

    private static IEnumerable<Inode> DepthFirst(InodeMap inodes)
    {
        // A stack of child enumerators rather than of inodes: a directory of a million children is never buffered.
        var root = inodes[Inode.RootId];
        yield return root;
        var stack = new Stack<IEnumerator<KeyValuePair<string, long>>>();
        stack.Push(root.Children.GetEnumerator());
        while (stack.Count > 0)
        {
            var children = stack.Peek();
            if (!children.MoveNext())
            {
                stack.Pop().Dispose();
                continue;
            }
            var inode = inodes[children.Current.Value];
            yield return inode;
            if (inode.Children.Count > 0) stack.Push(inode.Children.GetEnumerator());
        }
    }

    private static void WriteRetry(ref EntryWriter writer, RetryCacheEntry entry)
    {
        writer.WriteGuid(entry.RequestId);
        writer.WriteVarInt64(entry.TimeMs);
        var result = entry.Result;
        writer.WriteBool(result.Succeeded);
        if (!result.Succeeded)
        {
            writer.WriteByte((byte)result.ErrorCode!.Value);
            writer.WriteNullableString(result.ErrorPath);
            writer.WriteString(result.ErrorReason ?? "");
            return;
        }
        writer.WriteBool(result.Status is not null);
        if (result.Status is not null) FileStatusCodec.Write(ref writer, result.Status);
    }

    private static RetryCacheEntry ReadRetry(ref EntryReader reader)
    {
        var requestId = reader.ReadGuid();
        long timeMs = reader.ReadVarInt64();
        if (!reader.ReadBool())
        {
            var code = reader.ReadEnum<Errors.FsErrorCode>();
            return new(requestId, timeMs, CachedResult.Failure(code, reader.ReadNullableString(), reader.ReadString()));
        }
        var status = reader.ReadBool() ? FileStatusCodec.Read(ref reader) : null;
        return new(requestId, timeMs, CachedResult.Success(status));
    }

    private static void WriteTakeover(ref EntryWriter writer, MasterTakeover takeover)
    {
        writer.WriteVarInt64(takeover.Epoch);
        writer.WriteString(takeover.SiloAddress);
        writer.WriteNullableString(takeover.PreviousSiloAddress);
        writer.WriteVarInt64(takeover.StartedAt.ToUnixTimeMilliseconds());
        writer.WriteVarInt64(takeover.DetectionDuration?.Ticks ?? -1);
        writer.WriteVarInt64(takeover.RecoveryDuration.Ticks);
        writer.WriteVarInt64(takeover.RecordsReplayed);
    }

    private static MasterTakeover ReadTakeover(ref EntryReader reader)
    {
        long epoch = reader.ReadVarInt64();
        string silo = reader.ReadString();
        string? previous = reader.ReadNullableString();
        long startedMs = reader.ReadVarInt64();
        long detection = reader.ReadVarInt64();
        return new MasterTakeover
        {
            Epoch = epoch,
            SiloAddress = silo,
            PreviousSiloAddress = previous,
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(startedMs),
            DetectionDuration = detection < 0 ? null : TimeSpan.FromTicks(detection),
            RecoveryDuration = TimeSpan.FromTicks(reader.ReadVarInt64()),
            RecordsReplayed = reader.ReadVarInt64(),
        };
    }

    private static void WriteCleanup(ref EntryWriter writer, CleanupTask task)
    {
        writer.WriteGuid(task.Id);
        writer.WriteByte((byte)task.Kind);
        writer.WriteNullableString(task.Path);
        writer.WriteNullableString(task.Destination);
        writer.WriteVarUInt64((ulong)task.BlockIds.Length);
        foreach (long id in task.BlockIds) writer.WriteVarInt64(id);
    }

    private static CleanupTask ReadCleanup(ref EntryReader reader)
    {
        var id = reader.ReadGuid();
        var kind = reader.ReadEnum<CleanupKind>();
        string? path = reader.ReadNullableString();
        string? destination = reader.ReadNullableString();
        int count = reader.ReadVarInt32();
        if (count > reader.Remaining) throw new InvalidDataException($"cleanup task {id} claims {count} blocks");
        var blocks = ImmutableArray.CreateBuilder<long>(count);
        for (int i = 0; i < count; i++) blocks.Add(reader.ReadVarInt64());
        return new CleanupTask(id, kind, path, destination, blocks.MoveToImmutable());
    }

    /// <summary>Collects what a checkpoint holds and assembles the state once everything is read.</summary>
    private sealed class StateLoader
    {
        private readonly InodeMap.Editor _inodes = InodeMap.Empty.Edit();
        // The directories on the path from the root to the inode read last, each with its children so far:
        // depth-first order means a directory is complete once the walk leaves it.
        private readonly List<(long Id, SortedChildren.SortedBuilder Children)> _open = new();
        private readonly List<long> _ttl = new();
        private long _nextInodeId, _files, _directories, _expectedInodes = -1;

        public List<RetryCacheEntry> Retry { get; } = new();
        public List<MasterTakeover> Takeovers { get; } = new();
        public List<CleanupTask> Cleanups { get; } = new();
        public List<TakeoverCause> Causes { get; } = new();
        public long NextLineageId { get; set; } = LineageTable.Empty.NextId;
        public List<LineageRecord> Lineages { get; } = new();
        /// <summary>Position in <see cref="Retry"/> → the lineage its CreateLineage recorded.</summary>
        public Dictionary<long, long> RetryLineageIds { get; } = new();

        public void ReadHeader(ref EntryReader reader)
        {
            _nextInodeId = reader.ReadVarInt64();
            _files = reader.ReadVarInt64();
            _directories = reader.ReadVarInt64();
            _expectedInodes = reader.ReadVarInt64();
        }

        public void AddInode(Inode inode)
        {
            _inodes.Set(inode);
            if (inode.HasTtl) _ttl.Add(inode.Id);
            if (inode.Id != Inode.RootId) AddChild(inode);
            if (inode.IsDirectory) _open.Add((inode.Id, new SortedChildren.SortedBuilder()));
        }

        private void AddChild(Inode inode)
        {
            int parent = _open.Count - 1;
            while (parent >= 0 && _open[parent].Id != inode.ParentId) parent--;
            if (parent < 0)
            {
                AddOutOfOrder(inode);
                return;
            }
            while (_open.Count > parent + 1) Close();
            _open[parent].Children.Append(inode.Name, inode.Id);
        }

        /// <summary>A child whose parent's subtree was already left (not depth-first): added the slow way.</summary>
        private void AddOutOfOrder(Inode inode)
        {
            if (_inodes.Get(inode.ParentId) is not { IsDirectory: true } parent)
                throw new InvalidDataException($"checkpoint inode {inode.Id} has no parent directory {inode.ParentId}");
            if (parent.Children.ContainsKey(inode.Name))
                throw new InvalidDataException($"duplicate child name '{inode.Name}' in directory {parent.Id}");
            _inodes.Set(parent with { Children = parent.Children.Add(inode.Name, inode.Id) });
        }

        private void Close()
        {
            var (id, children) = _open[^1];
            _open.RemoveAt(_open.Count - 1);
            if (children.Count > 0) _inodes.Set(_inodes[id] with { Children = children.ToChildren() });
        }

        public (MasterState, RetryCache) Build()
        {
            if (_expectedInodes < 0) throw new InvalidDataException("checkpoint has no header");
            if (_inodes.Count != _expectedInodes)
                throw new InvalidDataException($"checkpoint holds {_inodes.Count} inodes, its header says {_expectedInodes}");
            while (_open.Count > 0) Close();
            var state = new MasterState
            {
                Inodes = _inodes.ToMap(),
                NextInodeId = _nextInodeId,
                FileCount = _files,
                DirectoryCount = _directories,
                TtlInodes = ImmutableHashSet.CreateRange(_ttl),
                Takeovers = ImmutableList.CreateRange(Takeovers.Select(WithCause)),
                Cleanups = ImmutableList.CreateRange(Cleanups),
                Lineages = LineageTable.Load(NextLineageId, Lineages),
            };
            return (state, RetryCache.FromEntries(Retry.Select(WithLineageId).Select(entry => Compact(entry, state.Inodes))));
        }

        /// <summary>
        /// Keeps a loaded status as the inode it describes: the namespace's own when that inode has not changed
        /// since, else one made from the status. A directory's status with children stays a status, as its child
        /// count is all that is known of them.
        /// </summary>
        private static RetryCacheEntry Compact(RetryCacheEntry entry, InodeMap inodes)
        {
            if (entry.Result.Status is not { } status || entry.Result.StatusInode is not null) return entry;
            if (status.IsDirectory && status.ChildCount > 0) return entry;
            var made = InodeCodec.FromStatus(status);
            var inode = inodes.Get(status.InodeId) is { } live && live == made ? live : made;
            return entry with { Result = entry.Result.WithStatusInode(inode) };
        }

        private RetryCacheEntry WithLineageId(RetryCacheEntry entry, int index) =>
            RetryLineageIds.TryGetValue(index, out long id) ? entry with { Result = entry.Result with { LineageId = id } } : entry;

        private MasterTakeover WithCause(MasterTakeover takeover, int index) => takeover with
        {
            Cause = index < Causes.Count ? Causes[index]
                : takeover.PreviousSiloAddress is null ? TakeoverCause.FirstStart : TakeoverCause.Unknown,
        };
    }

    // Chunks are `u32 length | u8 section | records`.
    private static void Begin(ref EntryWriter writer, Section section)
    {
        writer.Reset();
        writer.ReserveInt32();
        writer.WriteByte((byte)section);
    }

    private static void Flush(ref EntryWriter writer, Stream stream)
    {
        writer.PatchInt32(0, writer.Length - 4);
        stream.Write(writer.WrittenSpan);
        writer.Reset();
    }

    /// <summary>Ends a chunk once it is big enough and starts the next one of the same section.</summary>
    private static void FlushIfFull(ref EntryWriter writer, Stream stream, Section section, CancellationToken cancellationToken)
    {
        if (writer.Length < ChunkBytes) return;
        cancellationToken.ThrowIfCancellationRequested();
        Flush(ref writer, stream);
        Begin(ref writer, section);
    }

    /// <summary>Reads the chunks back into one pooled buffer.</summary>
    private sealed class ChunkReader(Stream stream) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes + 4096);

        public byte ReadChunk(out ReadOnlyMemory<byte> payload)
        {
            Span<byte> header = stackalloc byte[4];
            stream.ReadExactly(header);
            int length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length < 1 || length > 64 * 1024 * 1024) throw new InvalidDataException($"checkpoint chunk length {length} is invalid");
            if (length > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(length);
            }
            stream.ReadExactly(_buffer, 0, length);
            payload = _buffer.AsMemory(1, length - 1);
            return _buffer[0];
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
    }
}
