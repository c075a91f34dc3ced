using System.Text;
using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class PipeliningTests(StandaloneZooKeeperFixture zk)
{
    [Fact]
    public async Task A_thousand_requests_in_flight_are_each_matched_to_their_own_reply()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;
        await client.CreateAsync("/p", ReadOnlyMemory<byte>.Empty);

        // All issued before any is awaited: the sequence numbers prove the server saw them in issue order,
        // and each task getting its own number proves replies were matched in order.
        var creates = Enumerable.Range(0, 1000)
            .Select(i => client.CreateAsync("/p/n-", Encoding.UTF8.GetBytes(i.ToString()), CreateMode.PersistentSequential))
            .ToArray();
        var paths = await Task.WhenAll(creates);
        var reads = paths.Select(p => client.GetDataAsync(p)).ToArray();
        var data = await Task.WhenAll(reads);

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal($"/p/n-{i:D10}", paths[i]);
            Assert.Equal(i.ToString(), Encoding.UTF8.GetString(data[i].Data));
        }
        Assert.Equal(1000, (await client.ExistsAsync("/p"))!.Value.NumChildren);
    }

    [Fact]
    public async Task Errors_in_a_pipelined_batch_fail_only_their_own_requests()
    {
        var (client, _) = await zk.ConnectToNewRootAsync();
        await using var _c = client;

        var tasks = Enumerable.Range(0, 200)
            .Select(i => i % 2 == 0 ? client.CreateAsync($"/k{i}", ReadOnlyMemory<byte>.Empty) : client.CreateAsync($"/missing/k{i}", ReadOnlyMemory<byte>.Empty))
            .ToArray();
        for (int i = 0; i < 200; i++)
        {
            if (i % 2 == 0) Assert.Equal($"/k{i}", await tasks[i]);
            else Assert.Equal(ZooKeeperErrorCode.NoNode, (await Assert.ThrowsAsync<ZooKeeperException>(() => tasks[i])).Code);
        }
    }
}
