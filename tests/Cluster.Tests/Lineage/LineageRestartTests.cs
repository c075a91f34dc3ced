using Orleans.Runtime;
using OrleansFs.Files;
using OrleansFs.Lineage;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Lineage;

/// <summary>Lineage records move with the master: its silo stops, the survivor recovers them from checkpoint and log.</summary>
public sealed class LineageRestartTests(TwoSiloLineageClusterFixture fixture) : IClassFixture<TwoSiloLineageClusterFixture>
{
    [Fact]
    public async Task Lineages_runs_and_a_retried_create_survive_the_masters_silo_stopping()
    {
        var master = fixture.Master;
        await master.CreateFile("/in", new CreateFileOptions(), Guid.NewGuid());
        await master.CompleteFile("/in", 10, Guid.NewGuid());
        await master.SetAttribute("/in", new SetAttributeOptions { PersistenceState = PersistenceState.Persisted }, Guid.NewGuid());
        var createId = Guid.NewGuid();
        var request = new CreateLineageRequest { Inputs = ["/in"], Outputs = ["/out/a"], Job = LineageJob.InProcess("Tests.Upper") };
        var first = await master.CreateLineage(request, createId);
        await master.RecordLineageRun(first.Id, new LineageRun { RunId = 1, Silo = "x", Outcome = LineageRunOutcome.Succeeded, ExitCode = 0 }, Guid.NewGuid());
        // Past Journal:CheckpointRecords (50): recovery loads a checkpoint holding the first lineage, then replays the second.
        for (int i = 0; i < 60; i++) await master.CreateDirectory($"/many/d{i}", true, Guid.NewGuid());
        var second = await master.CreateLineage(request with { Inputs = ["/out/a"], Outputs = ["/out/b"] }, Guid.NewGuid());
        var expected = await master.ListLineages();
        var before = await master.GetInfo();

        var host = fixture.Cluster.Silos.Single(s => $"{s.SiloAddress.Endpoint.Address}:{s.SiloAddress.Endpoint.Port}" == before.SiloAddress);
        await fixture.Cluster.StopSiloAsync(host);

        var again = await MasterMoveRetry.Eventually(() => master.CreateLineage(request, createId));
        var after = await master.GetInfo();

        Assert.NotEqual(before.SiloAddress, after.SiloAddress);
        Assert.True(after.LastCheckpointSequence > 0);
        Assert.Equal(first.Id, again.Id);
        Assert.Equivalent(expected, await master.ListLineages(), strict: true);
        Assert.Equal([first.Id], (await master.GetLineage(second.Id))!.Parents);
        Assert.Equal(second.Id, (await master.GetStatus("/out/b")).LineageId);
    }
}
