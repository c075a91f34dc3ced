using OrleansFs.Clustering.ZooKeeper.Client;

namespace OrleansFs.Bench;

/// <summary>The peer measured in the same run: create and getData on a standalone ZooKeeper through our client.</summary>
internal sealed class ZooKeeperPeer(string connectionString, TimeSpan duration)
{
    private static readonly byte[] Payload = new byte[64];

    public async Task<LatencySummary> RunAsync(string operation, int callers)
    {
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectionString = connectionString });
        string root = await client.CreateAsync($"/metadata-bench-{Guid.NewGuid():N}", Payload);
        await client.CreateAsync(root + "/target", Payload);
        Func<int, long, Task> op = operation == "create"
            ? (c, i) => client.CreateAsync($"{root}/c{c}-{i}", Payload)
            : (_, _) => client.GetDataAsync(root + "/target");
        await ClosedLoop.RunAsync(callers, TimeSpan.FromSeconds(1), (c, i) => op(c, -1 - i - 1_000_000L * c));
        return await ClosedLoop.RunAsync(callers, duration, op);
    }
}
