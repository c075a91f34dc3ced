using System.Runtime.CompilerServices;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Master;

namespace OrleansFs.Client.FileSystem;

/// <summary>
/// A client's read-only metadata calls and the highest journal position it has seen (one per grain factory, so
/// a connection's file system, data client and streams share it). Every answer's position raises it; every read
/// asks the gateway's <see cref="IMetadataReaderGrain"/> for a state at least that new, which a warm standby
/// serves when it can and the master otherwise: read-your-writes and monotonic reads for the client
/// (docs/architecture.md, "Consistency"). Inside <see cref="FromMaster"/>, reads go to the master.
/// </summary>
public sealed class MetadataReads
{
    private static readonly ConditionalWeakTable<IGrainFactory, MetadataReads> ByFactory = new();
    private static readonly AsyncLocal<bool> MasterOnly = new();
    private readonly IGrainFactory _grains;
    // Replaced, never changed, so a reader sees both halves of one position.
    private PositionBox _seen = new(JournalPosition.None);

    private IMetadataReaderGrain? _reader;

    private readonly StatusBatcher _statuses;

    private MetadataReads(IGrainFactory grains)
    {
        _grains = grains;
        _statuses = new StatusBatcher(() => Reader, () => Requirement);
    }

    /// <summary>
    /// The position of one client: an <see cref="IClusterClient"/> and the grain factory of its services are the
    /// same client, so a write through one is read back through the other.
    /// </summary>
    public static MetadataReads For(IGrainFactory grains)
    {
        if (grains is IClusterClient client && client.ServiceProvider.GetService(typeof(IGrainFactory)) is IGrainFactory factory)
            grains = factory;
        return ByFactory.GetValue(grains, static g => new MetadataReads(g));
    }

    /// <summary>
    /// Until the returned scope is disposed, metadata reads started in this async flow are answered by the master
    /// itself (the per-call master read; it still raises the client's position).
    /// </summary>
    public static IDisposable FromMaster()
    {
        bool outer = MasterOnly.Value;
        MasterOnly.Value = true;
        return new MasterReadScope(outer);
    }

    /// <summary>The highest journal position this client has seen.</summary>
    public JournalPosition Seen => Volatile.Read(ref _seen).Position;

    // One reference for every call (the gateway's stateless worker is found per call anyway).
    private IMetadataReaderGrain Reader => _reader ??= _grains.GetGrain<IMetadataReaderGrain>(IMetadataReaderGrain.Key);
    private ReadRequirement Requirement => new(Seen, MasterOnly.Value);

    /// <summary>Raises the client's position to <paramref name="position"/> if that is newer.</summary>
    public void Observe(JournalPosition position)
    {
        while (true)
        {
            var current = Volatile.Read(ref _seen);
            if (position <= current.Position) return;
            if (Interlocked.CompareExchange(ref _seen, new PositionBox(position), current) == current) return;
        }
    }

    /// <summary>A mutation's answer: its position is where this client's reads start from.</summary>
    public FileStatus Observe(FileStatus status)
    {
        Observe(status.Journal);
        return status;
    }

    /// <summary>The status at the path (null when there is none) and the journal position of that answer.</summary>
    public async Task<StatusRead> ReadStatusAsync(string path)
    {
        var read = await ReadAsync(path);
        Observe(read.Journal);
        return read;
    }

    /// <summary>The status at the path, or null when there is none.</summary>
    public async Task<FileStatus?> TryGetStatusAsync(string path) => (await ReadStatusAsync(path)).Status;

    public async Task<FileStatus> GetStatusAsync(string path)
    {
        var read = await ReadAsync(path);
        Observe(read.Journal);
        return read.Status ?? throw FsException.NotFound(path);
    }

    /// <summary>A master read goes alone; others may share a message with this client's concurrent reads.</summary>
    private Task<StatusRead> ReadAsync(string path) => MasterOnly.Value ? Reader.GetStatus(path, Requirement) : _statuses.ReadAsync(path);

    public async Task<IReadOnlyList<FileStatus>> ListStatusAsync(string path, bool recursive)
    {
        var read = await Reader.ListStatus(path, recursive, Requirement);
        Observe(read.Journal);
        return read.Entries ?? throw FsException.NotFound(path);
    }

    /// <summary>One page of a listing (NotFound, InvalidArgument as the master gives them).</summary>
    public async Task<ListingPage> ListStatusPageAsync(string path, ListingRequest request)
    {
        var page = await Reader.ListStatusPage(path, request, Requirement);
        Observe(page.Journal);
        return page;
    }

    private sealed record PositionBox(JournalPosition Position);

    private sealed class MasterReadScope(bool outer) : IDisposable
    {
        public void Dispose() => MasterOnly.Value = outer;
    }
}
