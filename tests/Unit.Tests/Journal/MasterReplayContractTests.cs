using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Tests.Master;
using OrleansFs.Tests.Master.Fakes;

namespace OrleansFs.Unit.Tests.Journal;

/// <summary>
/// Replay equals live, on each real backend: the random operation sequences of <see cref="ReplayPropertyTests"/>
/// (refusals, retries, TTL expiry, clock jumps) with a checkpoint at a random point, run by a master on the
/// backend; a second master recovering from the same journal must hold exactly the live state, retry cache included.
/// </summary>
public abstract class MasterReplayContractTests
{
    private const int Iterations = 25;

    protected abstract Task<JournalBackend> NewBackendAsync();

    [Fact]
    public async Task Checkpoint_plus_replay_on_the_backend_rebuilds_exactly_the_live_state()
    {
        await ReplayPropertyTests.ScenarioGen.SampleAsync(async scenario =>
        {
            await using var backend = await NewBackendAsync();
            var options = new MasterOptions { RetryCacheWindow = TimeSpan.FromSeconds(30), RetryCacheMaxEntries = 25 };
            var clock = new ManualClock();
            var live = await StartAsync(backend, options, clock);
            var ids = new List<Guid>();
            for (int i = 0; i < scenario.Ops.Length; i++)
            {
                if (i == scenario.CheckpointAt) await live.CheckpointAsync();
                await ReplayPropertyTests.Run(live, clock, scenario.Ops[i], ids);
            }
            string expected = NamespaceDump.Of(live.State, live.Retry);
            await live.DisposeAsync();

            await using var recovered = await StartAsync(backend, options, clock);
            Assert.Equal(expected, NamespaceDump.Of(recovered.State, recovered.Retry, takeoversToSkipAtEnd: 1));
        }, iter: Iterations, threads: 1);
    }

    private static async Task<MasterService> StartAsync(JournalBackend backend, MasterOptions options, ManualClock clock)
    {
        var journalOptions = new JournalOptions { CheckpointRecords = long.MaxValue, CheckpointBytes = long.MaxValue };
        var master = new MasterService(backend.Open(), options, journalOptions, clock, null, NullLogger.Instance);
        await master.RecoverAsync("127.0.0.1:11111", CancellationToken.None);
        return master;
    }
}
