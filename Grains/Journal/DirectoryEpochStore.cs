using Microsoft.Extensions.Logging;
using OrleansFs.Errors;

namespace OrleansFs.Grains.Journal;

/// <summary>
/// Epochs as files in <c>epochs/</c>, taken with create-exclusive. Epochs are taken as highest+1 and the
/// files are never deleted, so "a newer epoch exists" is the same as "file epoch+1 exists": one stat per
/// check. Only safe on a local disk or a strongly consistent shared file system (NFS caches lookups).
/// </summary>
public sealed partial class DirectoryEpochStore : IEpochStore
{
    private const int MaxTakeAttempts = 64;
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly bool _fsync;

    /// <param name="fsync">Make taken epochs and seals durable; only tests of logic turn this off.</param>
    public DirectoryEpochStore(string directory, ILogger logger, bool fsync = true)
    {
        _directory = Path.GetFullPath(directory);
        _logger = logger;
        _fsync = fsync;
    }

    public string Location => _directory;

    public Task<long> TakeNextAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        for (int attempt = 0; attempt < MaxTakeAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long candidate = HighestEpoch() + 1;
            if (TryCreate(candidate))
            {
                if (_fsync) DirectorySync.Flush(_directory);
                return Task.FromResult(candidate);
            }
            LogEpochTakenByAnother(_logger, candidate, _directory);
        }
        throw FsException.Unavailable($"could not take a journal epoch in {_directory} after {MaxTakeAttempts} attempts");
    }

    public Task<IReadOnlyList<EpochInfo>> ReadAllAsync(CancellationToken cancellationToken) =>
        Task.FromResult(EpochFiles.ReadAll(_directory));

    public Task SealAsync(long epoch, long lastSequence, CancellationToken cancellationToken)
    {
        Span<byte> seal = stackalloc byte[EpochFiles.SealSize];
        EpochFiles.WriteSeal(seal, lastSequence);
        using var handle = File.OpenHandle(PathOf(epoch), FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, seal, 0);
        if (_fsync) RandomAccess.FlushToDisk(handle);
        return Task.CompletedTask;
    }

    public ValueTask<bool> IsSupersededAsync(long epoch, CancellationToken cancellationToken) =>
        ValueTask.FromResult(File.Exists(PathOf(epoch + 1)));

    private bool TryCreate(long epoch)
    {
        try
        {
            using var stream = new FileStream(PathOf(epoch), FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
            return true;
        }
        catch (IOException) when (File.Exists(PathOf(epoch)))
        {
            return false;
        }
    }

    private long HighestEpoch()
    {
        long highest = 0;
        foreach (long epoch in EpochFiles.List(_directory)) highest = Math.Max(highest, epoch);
        return highest;
    }

    private string PathOf(long epoch) => EpochFiles.PathOf(_directory, epoch);

    [LoggerMessage(EventId = 1130, Level = LogLevel.Information, Message = "Epoch {Epoch} in {Directory} was taken by another master; retrying")]
    private static partial void LogEpochTakenByAnother(ILogger logger, long epoch, string directory);
}
