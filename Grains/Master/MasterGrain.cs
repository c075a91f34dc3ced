using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.GrainDirectory;
using Orleans.Runtime.Placement;
using Orleans.Configuration;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Lineage;
using OrleansFs.Errors;
using OrleansFs.Grains.Master.Cleanup;
using OrleansFs.Grains.Master.Lease;
using OrleansFs.Grains.Master.Placement;
using OrleansFs.Grains.Failover.Handoff;
using OrleansFs.Grains.Master.Persistence;
using OrleansFs.Grains.Failover.Standby;
using OrleansFs.Grains.Master.Sync;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Grains.Storage;
using OrleansFs.Grains.Failover.Takeover;
using OrleansFs.Grains.Lineage.Checkpoint;
using OrleansFs.Lineage;
using OrleansFs.Master;
using OrleansFs.Paths;

namespace OrleansFs.Grains.Master;

/// <summary>
/// The namespace master (key 0): hosts <see cref="MasterService"/>. Reentrant, so concurrent mutations
/// share one journal flush; the service applies each one synchronously before its first await.
/// </summary>
[Reentrant]
[GrainDirectory(GrainDirectoryName = MasterDirectory.Name)]
[EpochStoreReachable]
public sealed partial class MasterGrain : Grain, IMasterGrain, IGrainMigrationParticipant, IRemindable
{
    private const string HandedOffFromKey = "ofs-master-handed-off-from";
    private readonly IJournalFactory _journalFactory;
    private readonly MasterOptions _options;
    private readonly JournalOptions _journalOptions;
    private readonly TimeProvider _time;
    private readonly IBlockFreer? _blockFreer;
    private readonly IUnderStorage? _underStorage;
    private readonly ICleanupEffects? _cleanupEffects;
    private readonly ILogger<MasterGrain> _logger;
    private readonly PreviousMasterInspector _previousMaster;
    private readonly MasterStandby? _standby;
    private readonly ILineageJobValidator? _lineageJobs;
    private MasterService _master = null!;
    private CleanupRunner _cleanup = null!;
    private MetadataSync? _sync;
    private PersistRescheduler? _persists;
    private IGrainTimer? _persistTimer;
    private string? _handedOffFrom;
    private readonly HandoffTimeline _handoff;
    private IGrainTimer? _ttlTimer;
    private readonly TimeSpan _reminderPeriod;
    private readonly LineageCheckpointOptions _lineageCheckpoint;
    private LineageCheckpointer? _lineageCheckpoints;
    private IGrainTimer? _lineageCheckpointTimer;
    private readonly MasterLeaseOptions _leaseOptions;
    private readonly TimeSpan _detectionTime;
    private MasterLeaseKeeper? _leaseKeeper;

    public MasterGrain(
        IJournalFactory journalFactory,
        IOptions<MasterOptions> options,
        IOptions<JournalOptions> journalOptions,
        TimeProvider time,
        IServiceProvider services,
        ILogger<MasterGrain> logger)
    {
        _journalFactory = journalFactory;
        _options = options.Value;
        _journalOptions = journalOptions.Value;
        _time = time;
        _blockFreer = services.GetService<IBlockFreer>();
        _underStorage = services.GetService<IUnderStorage>();
        _cleanupEffects = services.GetService<ICleanupEffects>();
        _standby = services.GetService<MasterStandby>();
        _lineageJobs = services.GetService<ILineageJobValidator>();
        var membership = services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        _previousMaster = new PreviousMasterInspector(services.GetService<IMembershipTable>(), services.GetService<PeerConnectionLog>(),
            PreviousMasterInspector.DetectionWindowFor(membership.NumMissedProbesLimit, membership.MaxProbeTimeout));
        _logger = logger;
        _handoff = new HandoffTimeline(time);
        _reminderPeriod = services.GetRequiredService<IOptions<StorageOptions>>().Value.MasterReminderPeriod;
        _lineageCheckpoint = services.GetService<IOptions<LineageCheckpointOptions>>()?.Value ?? new LineageCheckpointOptions();
        _leaseOptions = services.GetService<IOptions<MasterLeaseOptions>>()?.Value ?? new MasterLeaseOptions();
        _detectionTime = DetectionTime.Floor(membership);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (this.GetPrimaryKeyLong() != IMasterGrain.Key)
            throw new InvalidOperationException($"the master grain has key {IMasterGrain.Key}, not {this.GetPrimaryKeyLong()}");
        var lease = new MasterLease(_leaseOptions.LengthFor(_detectionTime), _time);
        _master = new MasterService(_journalFactory.Create(), _options, _journalOptions, _time, _blockFreer, _logger, _lineageJobs, lease);
        _master.Stopped += DeactivateOnIdle;
        LogActivating(_logger, SiloEndpoint,
            _handedOffFrom is null ? "" : $", handed off from {_handedOffFrom}");
        long recoveryStarted = _time.GetTimestamp();
        try
        {
            await RecoverAsync(cancellationToken);
        }
        catch
        {
            // No deactivation follows a failed activation: let this silo's standby follow the journal again.
            _standby?.Release();
            throw;
        }
        if (_standby is not null)
        {
            // Reads on this silo answer from the master's state without queueing for this activation, within its lease.
            Func<bool> leaseHeld = () => lease.IsHeld;
            _master.Appended += () => _standby.PublishMaster(_master.State, _master.Position, leaseHeld);
            _master.Stopped += _standby.WithdrawMaster;
            _standby.PublishMaster(_master.State, _master.Position, leaseHeld);
        }
        await KeepLeaseAsync(lease, recoveryStarted);
        var effects = _cleanupEffects ?? new UnderStorageCleanupEffects(_underStorage, GrainFactory, _logger);
        _cleanup = new CleanupRunner(_master, effects, _time, _logger);
        // Whatever the previous master left undone (its tasks are in the recovered state).
        _cleanup.Kick();
        if (_underStorage is not null)
        {
            // Persists the previous master (or a dead worker) left unfinished.
            _persists = new PersistRescheduler(() => _master.State, GrainFactory, _logger);
            _persists.Kick();
            _persistTimer = this.RegisterGrainTimer(_ => { _persists.Kick(); return Task.CompletedTask; }, new GrainTimerCreationOptions
            {
                DueTime = _options.PersistRecheckPeriod,
                Period = _options.PersistRecheckPeriod,
                Interleave = true,
            });
        }
        if (_underStorage is not null && _lineageCheckpoint.Enabled) StartLineageCheckpoints();
        if (_underStorage is not null && _options.MetadataSyncInterval >= TimeSpan.Zero)
            _sync = new MetadataSync(_master, _underStorage, new SyncIntervalTracker(_options.MetadataSyncInterval, _time),
                _options.MetadataSyncBlockSizeBytes, _logger);
        _ttlTimer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.TtlCheckPeriod,
            Period = _options.TtlCheckPeriod,
            Interleave = true,
            KeepAlive = true,
        });
        _ = MasterReminder.RegisterAsync(this, _reminderPeriod, _logger);
    }

    /// <summary>
    /// Recovery ended with an epoch check that began after <paramref name="recoveryStarted"/>, so the lease holds from
    /// then; the keeper confirms once more and renews it from then on (docs/architecture.md, "Master lease").
    /// </summary>
    private async Task KeepLeaseAsync(MasterLease lease, long recoveryStarted)
    {
        lease.Renew(recoveryStarted);
        var scheduler = GrainContext.Scheduler;
        _leaseKeeper = new MasterLeaseKeeper(lease, _master.Journal.IsEpochCurrentAsync, _master.Journal.Epoch, _leaseOptions.StepDownAfter,
            reason => scheduler.QueueAction(() => _master.StepDown(reason)), _time, _logger);
        await _leaseKeeper.StartAsync();
    }

    /// <summary>Persists lineage outputs in the background, leaves first (Lineage:Checkpoint).</summary>
    private void StartLineageCheckpoints()
    {
        _lineageCheckpoints = new LineageCheckpointer(ListLineages, GetStatus,
            (inodeId, path) => GrainFactory.GetGrain<OrleansFs.Blocks.IPersistGrain>(inodeId).Persist(path), _lineageCheckpoint, _logger);
        _lineageCheckpointTimer = this.RegisterGrainTimer(_ => { _lineageCheckpoints.Kick(); return Task.CompletedTask; }, new GrainTimerCreationOptions
        {
            DueTime = _lineageCheckpoint.Interval,
            Period = _lineageCheckpoint.Interval,
            Interleave = true,
        });
    }

    /// <summary>The wake-up reminder: after a silo loss its first tick is what activates the master again.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != MasterReminder.Name) return;
        MasterReminder.LogWoken(_logger);
        _persists?.Kick();
        await OnTimerAsync(CancellationToken.None);
    }

    /// <summary>host:port of this activation's silo, as the journal's takeover records and clients name it.</summary>
    private string SiloEndpoint => $"{GrainContext.Address.SiloAddress!.Endpoint.Address}:{GrainContext.Address.SiloAddress.Endpoint.Port}";

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        // This silo's copy of the namespace, kept current from the journal: recovery then replays only its tail.
        StandbyState? standby = _standby is null ? null : await _standby.TakeAsync(cancellationToken);
        if (_handedOffFrom is { } from)
        {
            // The old master handed off on purpose: nothing had to be detected.
            await _master.RecoverAsync(SiloEndpoint, cancellationToken,
                _ => Task.FromResult(TakeoverDetection.HandedOff(from)), standby);
        }
        else
        {
            // Read alongside recovery: the table is needed only once the journal names the previous master.
            var membership = _previousMaster.ReadMembershipAsync(cancellationToken);
            await _master.RecoverAsync(SiloEndpoint, cancellationToken,
                async previous => _previousMaster.Inspect(await membership, previous), standby);
        }
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        await _master.CheckTtlAsync(cancellationToken);
        // Picks up TTL deletes and retries cleanups that failed.
        _cleanup.Kick();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        if (_leaseKeeper is not null) await _leaseKeeper.DisposeAsync();
        _ttlTimer?.Dispose();
        _persistTimer?.Dispose();
        _lineageCheckpointTimer?.Dispose();
        if (_persists is not null) await _persists.StopAsync();
        if (_lineageCheckpoints is not null) await _lineageCheckpoints.StopAsync();
        if (_cleanup is not null) await _cleanup.StopAsync();
        if (_master is null) return;
        long epoch = _master.Journal.Epoch;
        await _master.DisposeAsync();
        // The next master may activate anywhere: this silo's standby follows the journal again.
        _standby?.Release();
        LogDeactivated(_logger, epoch, reason.Description);
        if (_handoff.IsHandingOff) _handoff.LogDeactivated(_logger, epoch, started);
    }

    public Task<FileStatus> CreateDirectory(string path, bool recursive, Guid requestId) =>
        Positioned(_master.CreateDirectory(path, recursive, requestId), _master.Position);
    public async Task<FileStatus> CreateFile(string path, CreateFileOptions options, Guid requestId)
    {
        await _cleanup.WaitUntilClearAsync(path, _options.CleanupWaitTimeout);
        var status = await Positioned(_master.CreateFile(path, options, requestId), _master.Position);
        _cleanup.Kick(); // an overwrite leaves the old file's blocks to drop
        return status;
    }

    public async Task<FileStatus> CompleteFile(string path, long length, Guid requestId)
    {
        var status = await Positioned(_master.CompleteFile(path, length, requestId), _master.Position);
        // A lineage output's first bytes: its lineage grain records their checksum, which every recompute must match.
        if (_master.State.Lineages.ProducerOf(status.InodeId) is { } lineage) GrainFactory.GetGrain<ILineageGrain>(lineage).OutputCompleted(status.Path).Ignore();
        return status;
    }

    public async Task<JournalPosition> Delete(string path, bool recursive, Guid requestId)
    {
        var delete = _master.Delete(path, recursive, requestId);
        var position = _master.Position;
        await delete;
        _cleanup.Kick();
        return position;
    }

    public async Task<JournalPosition> Rename(string source, string destination, Guid requestId)
    {
        var rename = _master.Rename(source, destination, requestId);
        var position = _master.Position;
        await rename;
        _cleanup.Kick();
        return position;
    }

    public Task<FileStatus> SetAttribute(string path, SetAttributeOptions options, Guid requestId) =>
        Positioned(_master.SetAttribute(path, options, requestId), _master.Position);

    /// <summary>
    /// A mutation's answer with the position read right after its synchronous part appended it (a retry answered
    /// from the retry cache gets the current one, which is later): what the client must read at least from now on.
    /// </summary>
    private static async Task<FileStatus> Positioned(Task<FileStatus> mutation, JournalPosition position) =>
        (await mutation) with { Journal = position };

    public Task<FileStatus> GetStatus(string path)
    {
        if (_sync is null) return Task.FromResult(Current(path));
        try
        {
            return Task.FromResult(Current(path));
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            return GetStatusAfterSyncAsync(path);
        }
    }

    private async Task<FileStatus> GetStatusAfterSyncAsync(string path)
    {
        await _sync!.LoadPathAsync(FsPath.Parse(path));
        return Current(path);
    }

    /// <summary>The status in memory now, with the position it reflects (both read in this turn).</summary>
    private FileStatus Current(string path) => _master.GetStatus(path) with { Journal = _master.Position };

    public async Task<StatusRead> ReadStatus(string path)
    {
        try
        {
            var status = await GetStatus(path);
            return new StatusRead(status, status.Journal);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            return new StatusRead(null, _master.Position);
        }
    }

    public async Task<ListingRead> ReadListing(string path, bool recursive)
    {
        try
        {
            if (_sync is not null)
            {
                var status = await GetStatus(path);
                if (status.IsDirectory) await _sync.SyncDirectoryAsync(FsPath.Parse(status.Path), recursive);
            }
            // After the sync's await: the listing and its position come from one turn.
            return new ListingRead(_master.ListStatus(path, recursive), _master.Position);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            return new ListingRead(null, _master.Position);
        }
    }

    public async Task<IReadOnlyList<FileStatus>> ListStatus(string path, bool recursive)
    {
        if (_sync is null) return _master.ListStatus(path, recursive);
        var status = await GetStatus(path);
        if (status.IsDirectory) await _sync.SyncDirectoryAsync(FsPath.Parse(status.Path), recursive);
        return _master.ListStatus(path, recursive);
    }

    /// <summary>
    /// The first page syncs from the under-storage as <see cref="ListStatus"/> does; later pages read the namespace
    /// as it is, so a page costs the page (the next listing's first page syncs again, bounded by the sync interval).
    /// </summary>
    public async Task<ListingPage> ListStatusPage(string path, ListingRequest request)
    {
        if (_sync is not null && request?.StartAfter is null)
        {
            var status = await GetStatus(path);
            if (status.IsDirectory) await _sync.SyncDirectoryAsync(FsPath.Parse(status.Path), request?.Recursive ?? false);
        }
        return _master.ListStatusPage(path, request!);
    }

    public Task<MasterInfo> GetInfo() => Task.FromResult(_master.GetInfo());
    public Task<IReadOnlyList<MasterTakeover>> GetTakeovers() => Task.FromResult(_master.GetTakeovers());

    public Task HandOff(SiloAddress target)
    {
        LogHandsOff(_logger, _master.Journal.Epoch, target);
        _handoff.Asked();
        // The placement hint makes the migration activate the master on the target right away, not wherever the next call lands.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<LineageInfo> CreateLineage(CreateLineageRequest request, Guid requestId)
    {
        var info = await _master.CreateLineage(request, requestId);
        // `--run`: the lineage's grain runs the job once now on its (live) silo; a repeat of the request joins that run.
        if (request.Run) GrainFactory.GetGrain<ILineageGrain>(info.Id).Run(requestId).Ignore();
        return info;
    }

    public Task<LineageInfo?> GetLineage(long id) => Task.FromResult(_master.GetLineage(id));
    public Task<IReadOnlyList<LineageInfo>> ListLineages() => Task.FromResult(_master.ListLineages());
    public Task<LineageInfo?> GetLineageOfFile(string path) => Task.FromResult(_master.GetLineageOfFile(path));
    public Task DeleteLineage(long id, bool cascade, Guid requestId) => _master.DeleteLineage(id, cascade, requestId);
    public Task RecordLineageRun(long id, LineageRun run, Guid requestId) => _master.RecordLineageRun(id, run, requestId);
    public Task RecordLineageChecksum(long id, string path, ulong checksum, Guid requestId) =>
        _master.RecordLineageChecksum(id, path, checksum, requestId);

    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        dehydrationContext.TryAddValue(HandedOffFromKey, SiloEndpoint);
        _handoff.Write(dehydrationContext);
    }

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (!rehydrationContext.TryGetValue(HandedOffFromKey, out string? from)) return;
        _handedOffFrom = from;
        _handoff.LogRehydrated(_logger, rehydrationContext, from!);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Master activating on {Silo}{HandOff}")]
    private static partial void LogActivating(ILogger logger, string silo, string handOff);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Master epoch {Epoch} deactivated ({Reason}); journal closed")]
    private static partial void LogDeactivated(ILogger logger, long epoch, string reason);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Master epoch {Epoch} hands off to {TargetSilo}: its silo is stopping")]
    private static partial void LogHandsOff(ILogger logger, long epoch, SiloAddress targetSilo);
}
