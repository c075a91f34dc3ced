using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime.Placement;
using Orleans.Configuration;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master.Takeover;
using OrleansFs.Master;

namespace OrleansFs.Grains.Master;

/// <summary>
/// The namespace master (key 0): hosts <see cref="MasterService"/>. Reentrant, so concurrent mutations
/// share one journal flush; the service applies each one synchronously before its first await.
/// </summary>
[Reentrant]
public sealed class MasterGrain : Grain, IMasterGrain, IGrainMigrationParticipant
{
    private const string HandedOffFromKey = "ofs-master-handed-off-from";
    private readonly IJournalFactory _journalFactory;
    private readonly MasterOptions _options;
    private readonly JournalOptions _journalOptions;
    private readonly TimeProvider _time;
    private readonly IBlockFreer? _blockFreer;
    private readonly ILogger<MasterGrain> _logger;
    private readonly PreviousMasterInspector _previousMaster;
    private MasterService _master = null!;
    private string? _handedOffFrom;
    private IGrainTimer? _ttlTimer;

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
        var membership = services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        _previousMaster = new PreviousMasterInspector(services.GetService<IMembershipTable>(), services.GetService<PeerConnectionLog>(),
            PreviousMasterInspector.DetectionWindowFor(membership.NumMissedProbesLimit, membership.MaxProbeTimeout));
        _logger = logger;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (this.GetPrimaryKeyLong() != IMasterGrain.Key)
            throw new InvalidOperationException($"the master grain has key {IMasterGrain.Key}, not {this.GetPrimaryKeyLong()}");
        _master = new MasterService(_journalFactory.Create(), _options, _journalOptions, _time, _blockFreer, _logger);
        _master.Stopped += DeactivateOnIdle;
        var endpoint = GrainContext.Address.SiloAddress!.Endpoint;
        // Read alongside recovery: the table is needed only once the journal names the previous master.
        _logger.LogInformation("Master activating on {Silo}{HandOff}", $"{endpoint.Address}:{endpoint.Port}",
            _handedOffFrom is null ? "" : $", handed off from {_handedOffFrom}");
        if (_handedOffFrom is { } from)
        {
            // The old master handed off on purpose: nothing had to be detected.
            await _master.RecoverAsync($"{endpoint.Address}:{endpoint.Port}", cancellationToken,
                _ => Task.FromResult(TakeoverDetection.HandedOff(from)));
        }
        else
        {
            var membership = _previousMaster.ReadMembershipAsync(cancellationToken);
            await _master.RecoverAsync($"{endpoint.Address}:{endpoint.Port}", cancellationToken,
                async previous => _previousMaster.Inspect(await membership, previous));
        }
        _ttlTimer = this.RegisterGrainTimer(_master.CheckTtlAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.TtlCheckPeriod,
            Period = _options.TtlCheckPeriod,
            Interleave = true,
            KeepAlive = true,
        });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _ttlTimer?.Dispose();
        if (_master is null) return;
        long epoch = _master.Journal.Epoch;
        await _master.DisposeAsync();
        _logger.LogInformation("Master epoch {Epoch} deactivated ({Reason}); journal closed", epoch, reason.Description);
    }

    public Task<FileStatus> CreateDirectory(string path, bool recursive, Guid requestId) => _master.CreateDirectory(path, recursive, requestId);
    public Task<FileStatus> CreateFile(string path, CreateFileOptions options, Guid requestId) => _master.CreateFile(path, options, requestId);
    public Task<FileStatus> CompleteFile(string path, long length, Guid requestId) => _master.CompleteFile(path, length, requestId);
    public Task Delete(string path, bool recursive, Guid requestId) => _master.Delete(path, recursive, requestId);
    public Task Rename(string source, string destination, Guid requestId) => _master.Rename(source, destination, requestId);
    public Task<FileStatus> SetAttribute(string path, SetAttributeOptions options, Guid requestId) => _master.SetAttribute(path, options, requestId);
    public Task<FileStatus> GetStatus(string path) => Task.FromResult(_master.GetStatus(path));
    public Task<IReadOnlyList<FileStatus>> ListStatus(string path, bool recursive) => Task.FromResult(_master.ListStatus(path, recursive));
    public Task<MasterInfo> GetInfo() => Task.FromResult(_master.GetInfo());
    public Task<IReadOnlyList<MasterTakeover>> GetTakeovers() => Task.FromResult(_master.GetTakeovers());

    public Task HandOff(SiloAddress target)
    {
        _logger.LogInformation("Master epoch {Epoch} hands off to {TargetSilo}: its silo is stopping", _master.Journal.Epoch, target);
        // The placement hint makes the migration activate the master on the target right away, not wherever the next call lands.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        var endpoint = GrainContext.Address.SiloAddress!.Endpoint;
        dehydrationContext.TryAddValue(HandedOffFromKey, $"{endpoint.Address}:{endpoint.Port}");
    }

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue(HandedOffFromKey, out string? from)) _handedOffFrom = from;
    }
}
