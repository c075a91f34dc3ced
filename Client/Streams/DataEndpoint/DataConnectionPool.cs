using System.Collections.Concurrent;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// Idle data connections per worker endpoint, shared by every stream of the process. A connection comes back
/// only after a complete frame exchange; one idle for longer than the workers' idle timeout is likely closed
/// on their side and is dropped instead of reused.
/// </summary>
public sealed class DataConnectionPool
{
    private const int MaxIdlePerEndpoint = 16;
    private static readonly long MaxIdleMs = (long)TimeSpan.FromSeconds(20).TotalMilliseconds;
    private readonly ConcurrentDictionary<string, ConcurrentStack<DataConnection>> _idle = new();

    public static DataConnectionPool Shared { get; } = new();

    public async ValueTask<DataConnection> RentAsync(string endpoint, CancellationToken cancellationToken)
    {
        if (_idle.TryGetValue(endpoint, out var stack))
        {
            while (stack.TryPop(out var connection))
            {
                if (Environment.TickCount64 - connection.LastUsedTicks < MaxIdleMs && connection.LooksIdleAndOpen()) return connection;
                connection.Dispose();
            }
        }
        return await DataConnection.ConnectAsync(endpoint, cancellationToken);
    }

    public void Return(DataConnection connection)
    {
        var stack = _idle.GetOrAdd(connection.Endpoint, _ => new ConcurrentStack<DataConnection>());
        if (stack.Count >= MaxIdlePerEndpoint)
        {
            connection.Dispose();
            return;
        }
        connection.LastUsedTicks = Environment.TickCount64;
        stack.Push(connection);
    }

    /// <summary>Closes the idle connections to one endpoint (its worker went away).</summary>
    public void Forget(string endpoint)
    {
        if (!_idle.TryRemove(endpoint, out var stack)) return;
        while (stack.TryPop(out var connection)) connection.Dispose();
    }
}
