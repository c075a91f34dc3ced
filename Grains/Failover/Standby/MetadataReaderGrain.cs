using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Metrics;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Master;
using OrleansFs.Metrics;

namespace OrleansFs.Grains.Failover.Standby;

/// <summary>
/// Serves read-only metadata calls on the silo the client called (a stateless worker is activated where its
/// caller's message arrives: the client's gateway) from this silo's warm standby, saving the hop to the
/// master's silo, as HDFS's observer NameNodes do. The standby answers only when it is at least at the client's
/// journal position (waiting up to <see cref="MasterOptions.StandbyReadWait"/> for it) and can answer exactly as
/// the master would; everything else goes to the master:
/// - reads off (<see cref="MasterOptions.ReadsFromStandby"/>), a client asking for a master read, no warm copy
///   (catching up, or the master lives here);
/// - a path the standby lacks while the master syncs metadata from the under-storage (the master may find it
///   there), and every listing then (only the master knows when a directory was last synced).
/// On the master's own silo the view is the master's state, published after every append: reads there run on
/// every core instead of queueing for the one master activation.
/// Reentrant, so a read waiting for the standby or the master does not hold up the others.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class MetadataReaderGrain : Grain, IMetadataReaderGrain
{
    private readonly MasterStandby? _standby;
    private readonly MasterOptions _options;
    private readonly bool _masterSyncs;

    public MetadataReaderGrain(IOptions<MasterOptions> options, IServiceProvider services)
    {
        _options = options.Value;
        _standby = _options.ReadsFromStandby ? services.GetService<MasterStandby>() : null;
        _masterSyncs = services.GetService<IUnderStorage>() is not null && _options.MetadataSyncInterval >= TimeSpan.Zero;
    }

    private IMasterGrain Master => GrainFactory.GetGrain<IMasterGrain>(IMasterGrain.Key);

    public Task<StatusRead> GetStatus(string path, ReadRequirement read)
    {
        // Most reads find the view at the client's position already: answered at once, without a state machine.
        var view = ReadyView(read);
        return view is null ? GetStatusAfterWaitAsync(path, read) : StatusFrom(view, path);
    }

    public Task<StatusRead[]> GetStatuses(string[] paths, ReadRequirement read)
    {
        var view = ReadyView(read);
        if (view is null) return GetStatusesAfterWaitAsync(paths, read);
        var answers = new StatusRead[paths.Length];
        List<Task>? forwarded = null;
        for (int i = 0; i < paths.Length; i++)
        {
            var answer = StatusFrom(view, paths[i], counted: false);
            if (answer.IsCompletedSuccessfully) answers[i] = answer.Result;
            else (forwarded ??= []).Add(FillAsync(answers, i, answer));
        }
        // Counted once for the message: the same totals, one update of the instrument instead of one per read.
        Served(view, nameof(IMasterGrain.GetStatus), paths.Length - (forwarded?.Count ?? 0));
        return forwarded is null ? Task.FromResult(answers) : AllFilledAsync(answers, forwarded);
    }

    private async Task<StatusRead[]> GetStatusesAfterWaitAsync(string[] paths, ReadRequirement read)
    {
        var view = await ViewForAsync(read);
        var answers = new StatusRead[paths.Length];
        var reads = new Task[paths.Length];
        for (int i = 0; i < paths.Length; i++)
            reads[i] = FillAsync(answers, i, view is null ? Master.ReadStatus(paths[i]) : StatusFrom(view, paths[i]));
        return await AllFilledAsync(answers, reads);
    }

    private static async Task FillAsync(StatusRead[] answers, int index, Task<StatusRead> answer) => answers[index] = await answer;

    private static async Task<StatusRead[]> AllFilledAsync(StatusRead[] answers, IEnumerable<Task> reads)
    {
        await Task.WhenAll(reads);
        return answers;
    }

    private async Task<StatusRead> GetStatusAfterWaitAsync(string path, ReadRequirement read)
    {
        var view = await ViewForAsync(read);
        if (view is null) return await Master.ReadStatus(path);
        return await StatusFrom(view, path);
    }

    private Task<StatusRead> StatusFrom(StandbyView view, string path, bool counted = true)
    {
        FileStatus status;
        try
        {
            status = view.Reader.GetStatus(path);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            if (_masterSyncs) return ForwardStatusAsync(path);
            if (counted) Served(view, nameof(IMasterGrain.GetStatus));
            return Task.FromResult(new StatusRead(null, view.Position));
        }
        if (counted) Served(view, nameof(IMasterGrain.GetStatus));
        return Task.FromResult(new StatusRead(status with { Journal = view.Position }, view.Position));
    }

    public async Task<ListingRead> ListStatus(string path, bool recursive, ReadRequirement read)
    {
        var view = _masterSyncs ? null : await ViewForAsync(read);
        if (view is null) return await Master.ReadListing(path, recursive);
        IReadOnlyList<FileStatus>? entries;
        try
        {
            entries = view.Reader.ListStatus(path, recursive);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            entries = null;
        }
        Served(view, nameof(IMasterGrain.ListStatus));
        return new ListingRead(entries, view.Position);
    }

    public async Task<ListingPage> ListStatusPage(string path, ListingRequest request, ReadRequirement read)
    {
        // The master syncs a directory from the under-storage on a listing's first page only.
        bool firstPageSyncs = _masterSyncs && request?.StartAfter is null;
        var view = firstPageSyncs ? null : await ViewForAsync(read);
        if (view is null) return await Master.ListStatusPage(path, request!);
        ListingPage page;
        try
        {
            page = view.Reader.ListStatusPage(path, request!);
        }
        catch (FsException e) when (e.Code == FsErrorCode.NotFound)
        {
            // An error carries no position: the master's answer is at least at the client's.
            SiloInstruments.StandbyRead(MetricNames.StandbyReads.Forwarded);
            return await Master.ListStatusPage(path, request!);
        }
        Served(view, nameof(IMasterGrain.ListStatusPage));
        return page with { JournalSequence = view.Position.Sequence, Journal = view.Position };
    }

    /// <summary>Counted as the master's operation when it was the master's own state, else as a standby read.</summary>
    private static void Served(StandbyView view, string operation, int reads = 1)
    {
        if (reads == 0) return;
        if (view.OfMaster) SiloInstruments.Operations.Add(reads, new KeyValuePair<string, object?>("operation", operation));
        else SiloInstruments.StandbyReads.Add(reads, new KeyValuePair<string, object?>(MetricNames.OutcomeTag, MetricNames.StandbyReads.Served));
    }

    private Task<StatusRead> ForwardStatusAsync(string path)
    {
        SiloInstruments.StandbyRead(MetricNames.StandbyReads.Forwarded);
        return Master.ReadStatus(path);
    }

    /// <summary>The standby's view if it may answer this read without waiting, else null.</summary>
    private StandbyView? ReadyView(ReadRequirement read) =>
        _standby is null || read.FromMaster || _standby.View is not { } view || view.Position < read.AtLeast ? null : view;

    /// <summary>The standby's view if it may answer this read (waiting briefly for the client's position), else null.</summary>
    private async ValueTask<StandbyView?> ViewForAsync(ReadRequirement read)
    {
        if (_standby is null || read.FromMaster) return null;
        var view = _standby.View;
        if (view is null) return null;
        if (view.Position >= read.AtLeast) return view;
        view = await _standby.WaitForAsync(read.AtLeast, _options.StandbyReadWait);
        SiloInstruments.StandbyRead(view is null ? MetricNames.StandbyReads.Forwarded : MetricNames.StandbyReads.Waited);
        return view;
    }
}
