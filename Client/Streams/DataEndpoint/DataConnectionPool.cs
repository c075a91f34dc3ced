using System.Collections.Concurrent;

namespace OrleansFs.Client.Streams.DataEndpoint;

/// <summary>
/// Idle data connections per worker endpoint, shared by every stream of a connection to the cluster (or of the
/// process: <see cref="Shared"/>). A connection comes back only after a complete frame exchange; one idle for longer
/// than the workers' idle timeout is likely closed on their side and is dropped instead of reused. TLS endpoints
/// get TLS connections made with <paramref name="tls"/>.
/// </summary>
public sealed class DataConnectionPool(DataClientTls? tls = null)
{
    private const int MaxIdlePerEndpoint = 16;
    private static readonly long MaxIdleMs = (long)TimeSpan.FromSeconds(20).TotalMilliseconds;
    private readonly ConcurrentDictionary<(string Endpoint, bool Tls), ConcurrentStack<DataConnection>> _idle = new();
    // Endpoints that refused a batched write (a worker of an older release): their writes are answered frame by frame.
    private readonly ConcurrentDictionary<string, byte> _unbatched = new();

    private readonly ConcurrentDictionary<string, byte> _noConfirmedReads = new();

    public static DataConnectionPool Shared { get; } = new();

    /// <summary>False for an endpoint that refused a confirmed read (a worker of an older version).</summary>
    public bool ServesConfirmedReads(string endpoint) => !_noConfirmedReads.ContainsKey(endpoint);

    public void NoConfirmedReads(string endpoint) => _noConfirmedReads[endpoint] = 0;

    public async ValueTask<DataConnection> RentAsync(string endpoint, bool useTls, CancellationToken cancellationToken)
    {
        if (_idle.TryGetValue((endpoint, useTls), out var stack))
        {
            while (stack.TryPop(out var connection))
            {
                if (Environment.TickCount64 - connection.LastUsedTicks < MaxIdleMs && connection.LooksIdleAndOpen()) return connection;
                connection.Dispose();
            }
        }
        return await DataConnection.ConnectAsync(endpoint, useTls ? tls ?? DataClientTls.Default : null, cancellationToken);
    }

    public void Return(DataConnection connection)
    {
        var stack = _idle.GetOrAdd((connection.Endpoint, connection.Tls), _ => new ConcurrentStack<DataConnection>());
        if (stack.Count >= MaxIdlePerEndpoint)
        {
            connection.Dispose();
            return;
        }
        connection.LastUsedTicks = Environment.TickCount64;
        stack.Push(connection);
    }

    /// <summary>False once <paramref name="endpoint"/> refused a batched write (<see cref="RefusesBatchedWrites"/>).</summary>
    public bool TakesBatchedWrites(string endpoint) => !_unbatched.ContainsKey(endpoint);

    /// <summary>Remembers that <paramref name="endpoint"/> does not speak batched writes, until its worker goes away (<see cref="Forget"/>).</summary>
    public void RefusesBatchedWrites(string endpoint) => _unbatched[endpoint] = 0;

    /// <summary>Closes the idle connections to one endpoint (its worker went away).</summary>
    public void Forget(string endpoint)
    {
        _unbatched.TryRemove(endpoint, out _); // a worker restarted there may be of a newer release
        foreach (bool useTls in new[] { false, true })
        {
            if (!_idle.TryRemove((endpoint, useTls), out var stack)) continue;
            while (stack.TryPop(out var connection)) connection.Dispose();
        }
    }
}
