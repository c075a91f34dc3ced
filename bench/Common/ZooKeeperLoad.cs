using OrleansFs.ZooKeeper;

namespace OrleansFs.Bench;

/// <summary>
/// The metadata peer every benchmark measures in its own run: create or getData on a real ZooKeeper through
/// our client, with a fixed number of callers sharing one session.
/// </summary>
public sealed class ZooKeeperLoad(string connectionString, TimeSpan duration, int payloadBytes)
{
    public static readonly string[] Operations = ["create", "getData"];

    private readonly byte[] _payload = new byte[payloadBytes];

    public async Task<LatencySummary> RunAsync(string operation, int callers)
    {
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectionString = connectionString });
        string root = await client.CreateAsync($"/bench-{Guid.NewGuid():N}", _payload);
        await client.CreateAsync(root + "/target", _payload);
        Func<int, long, Task> op = operation switch
        {
            "create" => (c, i) => client.CreateAsync($"{root}/c{c}-{i}", _payload),
            "getData" => (_, _) => client.GetDataAsync(root + "/target"),
            _ => throw new ArgumentException($"unknown ZooKeeper operation '{operation}' (create or getData)"),
        };
        // Warm-up (JIT on both sides) under names the measured run never uses.
        await ClosedLoop.RunAsync(callers, TimeSpan.FromSeconds(1), (c, i) => op(c, -1 - i - 1_000_000L * c));
        return await ClosedLoop.RunAsync(callers, duration, op);
    }
}
