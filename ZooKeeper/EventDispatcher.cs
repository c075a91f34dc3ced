using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansFs.ZooKeeper.Protocol;

namespace OrleansFs.ZooKeeper;

/// <summary>
/// Runs watch callbacks and state-change handlers one at a time on a task of its own, never on the I/O loop.
/// While events wait here, replies are queued behind them, so a caller never sees a reply before the watch event
/// the server sent ahead of it (the Java client's ordering guarantee).
/// </summary>
internal sealed partial class EventDispatcher
{
    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<ZooKeeperSessionState> _onState;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private int _queued;

    public EventDispatcher(Action<ZooKeeperSessionState> onState, ILogger logger)
    {
        _onState = onState;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void PostEvent(WatchedEvent change, Action<WatchedEvent>[] watchers) => Post(new Item(change, watchers, null, null, null));

    public void PostState(ZooKeeperSessionState state) => Post(new Item(null, null, state, null, null));

    /// <summary>Completes once everything posted so far has been handed out.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(new Item(null, null, null, null, done))) done.TrySetResult();
        return done.Task;
    }

    /// <summary>True while events or replies wait to be handed out.</summary>
    public bool IsBusy => Volatile.Read(ref _queued) > 0;

    /// <summary>Completes the request at once, unless watch events are still queued ahead of it.</summary>
    public void Complete(PendingRequest request)
    {
        if (Volatile.Read(ref _queued) == 0 || !Post(new Item(null, null, null, request, null))) request.Finish();
    }

    public Task StopAsync()
    {
        _items.Writer.TryComplete();
        return _loop;
    }

    private bool Post(Item item)
    {
        Interlocked.Increment(ref _queued);
        if (_items.Writer.TryWrite(item)) return true;
        Interlocked.Decrement(ref _queued);
        return false;
    }

    private async Task RunAsync()
    {
        await foreach (var item in _items.Reader.ReadAllAsync())
        {
            Run(item);
            Interlocked.Decrement(ref _queued);
        }
    }

    private void Run(Item item)
    {
        if (item.Barrier is not null)
        {
            item.Barrier.TrySetResult();
            return;
        }
        if (item.Request is not null)
        {
            item.Request.Finish();
            return;
        }
        if (item.State is { } state)
        {
            Guard(() => _onState(state));
            return;
        }
        foreach (var watcher in item.Watchers!) Guard(() => watcher(item.Event!));
    }

    private void Guard(Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception ex)
        {
            LogHandlerThrew(_logger, ex);
        }
    }

    private readonly record struct Item(WatchedEvent? Event, Action<WatchedEvent>[]? Watchers, ZooKeeperSessionState? State, PendingRequest? Request, TaskCompletionSource? Barrier);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Error, Message = "A ZooKeeper watch or state handler threw")]
    private static partial void LogHandlerThrew(ILogger logger, Exception exception);
}
