using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.Failover.Standby;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// The warm standby following a live master on the PostgreSQL journal. Its poll interval is far longer than the
/// test's patience, so keeping up proves the LISTEN/NOTIFY path; the next master then continues from its copy.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMasterStandbyTests(PostgreSqlFixture postgres)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_standby_keeps_up_through_notifications_and_the_next_master_replays_only_the_tail()
    {
        await using var backend = await PostgreSqlJournalBackend.CreateAsync(postgres);
        var options = new MasterOptions { StandbyPollInterval = TimeSpan.FromMinutes(5) };
        using var standby = new MasterStandby(backend.Factory, Options.Create(options), NullLogger<MasterStandby>.Instance);
        var old = await StartMasterAsync(backend, options);
        await standby.StartAsync(CancellationToken.None);
        await WaitUntil(() => standby.IsWarm);

        await old.CreateDirectory("/data", recursive: false, Guid.NewGuid());
        for (int i = 0; i < 200; i++) await old.CreateFile($"/data/f{i:D3}", new CreateFileOptions(), Guid.NewGuid());
        await WaitUntil(() => standby.LastSequence == old.Journal.LastSequence);
        await old.Rename("/data/f000", "/data/renamed", Guid.NewGuid());
        string[] acknowledged = MasterOnDirectoryJournalTests.Namespace(old);
        long lastSequence = old.Journal.LastSequence;
        await old.DisposeAsync();

        var copy = await standby.TakeAsync(CancellationToken.None);
        Assert.NotNull(copy);
        await using var next = new MasterService(backend.Open(), options, new JournalOptions(), TimeProvider.System, null, NullLogger.Instance);
        var recovery = await next.RecoverAsync("127.0.0.1:22222", CancellationToken.None, standby: copy);

        Assert.NotNull(recovery.ResumedFrom);
        Assert.Equal(lastSequence - recovery.ResumedFrom, recovery.RecordsReplayed);
        Assert.Equal(acknowledged, MasterOnDirectoryJournalTests.Namespace(next));
        await standby.StopAsync(CancellationToken.None);
    }

    private static async Task<MasterService> StartMasterAsync(JournalBackend backend, MasterOptions options)
    {
        var master = new MasterService(backend.Open(), options, new JournalOptions(), TimeProvider.System, null, NullLogger.Instance);
        await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
        return master;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the standby did not catch up within " + Wait);
            await Task.Delay(10);
        }
    }
}
