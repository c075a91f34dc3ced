using Orleans.Runtime;
using OrleansFs.Files;
using OrleansFs.Master;

namespace OrleansFs.Tests.Master;

/// <summary>The master moves to another silo and recovers from the shared journal (checkpoint + log).</summary>
public sealed class MasterRestartTests(TwoSiloMasterClusterFixture fixture) : IClassFixture<TwoSiloMasterClusterFixture>
{
    [Fact]
    public async Task After_the_masters_silo_stops_a_retry_returns_the_first_result_and_nothing_is_lost()
    {
        var master = fixture.Master;
        var createId = Guid.NewGuid();
        var first = await master.CreateFile("/kept/f", new CreateFileOptions(), createId);
        var renameId = Guid.NewGuid();
        await master.Rename("/kept/f", "/kept/g", renameId);
        // Past Journal:CheckpointRecords (50), so recovery loads a checkpoint and replays the rest.
        for (int i = 0; i < 80; i++) await master.CreateDirectory($"/many/d{i}", true, Guid.NewGuid());
        var before = await master.GetInfo();

        var host = fixture.Cluster.Silos.Single(s => Address(s.SiloAddress) == before.SiloAddress);
        await fixture.Cluster.StopSiloAsync(host);

        var again = await MasterMoveRetry.Eventually(() => master.CreateFile("/kept/f", new CreateFileOptions(), createId));
        await master.Rename("/kept/f", "/kept/g", renameId);
        var after = await master.GetInfo();

        Assert.Equal(first.InodeId, again.InodeId);
        Assert.Equal("/kept/f", again.Path);
        Assert.Equal(new[] { "/kept/g" }, (await master.ListStatus("/kept", false)).Select(s => s.Path));
        Assert.Equal(80, (await master.ListStatus("/many", false)).Count);
        Assert.NotEqual(before.SiloAddress, after.SiloAddress);
        Assert.True(after.Epoch > before.Epoch);
        Assert.True(after.LastCheckpointSequence > 0);
        var takeovers = await master.GetTakeovers();
        Assert.Equal(before.SiloAddress, takeovers[^1].PreviousSiloAddress);
        Assert.Equal(after.SiloAddress, takeovers[^1].SiloAddress);
    }

    private static string Address(SiloAddress silo) => $"{silo.Endpoint.Address}:{silo.Endpoint.Port}";
}
