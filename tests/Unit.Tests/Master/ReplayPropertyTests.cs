using CsCheck;
using OrleansFs.Errors;
using OrleansFs.Files;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Lineage;
using OrleansFs.Tests.Master.Fakes;

namespace OrleansFs.Tests.Master;

/// <summary>
/// Random operation sequences (including refused ones, retries, TTL expiry and clock jumps past the retry
/// window), a checkpoint at a random point, then recovery from checkpoint + the rest of the log: the
/// recovered master must hold exactly the live master's state, retry cache included.
/// </summary>
public sealed class ReplayPropertyTests
{
    public sealed record Op(int Kind, string Path, string Other, bool Flag, long Number, int RetryOf);

    private static readonly Gen<string> PathGen =
        Gen.Int[1, 3].SelectMany(depth => Gen.OneOf("a", "b", "c", "..").Array[depth])
            .Select(names => "/" + string.Join('/', names));

    private static readonly Gen<Op> OpGen =
        Gen.Select(Gen.Int[0, 10], PathGen, PathGen, Gen.Bool, Gen.Long[-2, 300], Gen.Int[-8, 30],
            (kind, path, other, flag, number, retryOf) => new Op(kind, path, other, flag, number, retryOf));

    internal static readonly Gen<(Op[] Ops, int CheckpointAt)> ScenarioGen =
        OpGen.Array[1, 60].SelectMany(ops => Gen.Int[0, ops.Length].Select(at => (ops, at)));

    [Fact]
    public async Task Checkpoint_plus_replay_rebuilds_exactly_the_live_state()
    {
        await ScenarioGen.SampleAsync(async scenario =>
        {
            var options = new MasterOptions { RetryCacheWindow = TimeSpan.FromSeconds(30), RetryCacheMaxEntries = 25 };
            var live = await TestMaster.StartAsync(options: options,
                journalOptions: new JournalOptions { CheckpointRecords = long.MaxValue, CheckpointBytes = long.MaxValue });
            var ids = new List<Guid>();
            for (int i = 0; i < scenario.Ops.Length; i++)
            {
                if (i == scenario.CheckpointAt) await live.Service.CheckpointAsync();
                await Run(live.Service, live.Clock, scenario.Ops[i], ids);
            }
            string expected = live.Dump();

            var recovered = await live.RestartAsync();

            Assert.Equal(expected, recovered.Dump(takeoversToSkipAtEnd: 1));
            await recovered.DisposeAsync();
        }, iter: 150);
    }

    /// <summary>Runs one generated operation; refusals are part of the scenario (they go to the retry cache).</summary>
    internal static async Task Run(MasterService s, ManualClock clock, Op op, List<Guid> ids)
    {
        Guid id = op.RetryOf >= 0 && op.RetryOf < ids.Count ? ids[op.RetryOf] : Guid.NewGuid();
        ids.Add(id);
        try
        {
            switch (op.Kind)
            {
                case 0: await s.CreateDirectory(op.Path, op.Flag, id); break;
                case 1:
                    await s.CreateFile(op.Path, new CreateFileOptions
                    {
                        Recursive = op.Flag,
                        Overwrite = op.Number % 2 == 0,
                        BlockSizeBytes = op.Number <= 0 ? op.Number : 100,
                        TtlMs = op.Number % 3 == 0 ? op.Number * 100 : -1,
                        TtlAction = op.Number % 5 == 0 ? TtlAction.Free : TtlAction.Delete,
                    }, id);
                    break;
                case 2: await s.CompleteFile(op.Path, op.Number * 37, id); break;
                case 3: await s.Delete(op.Path, op.Flag, id); break;
                case 4: await s.Rename(op.Path, op.Other, id); break;
                case 5:
                    await s.SetAttribute(op.Path, new SetAttributeOptions
                    {
                        Pinned = op.Flag,
                        TtlMs = op.Number % 4 == 0 ? op.Number * 10 - 1 : null,
                        PersistenceState = (PersistenceState)(op.Number & 3),
                        Recursive = !op.Flag,
                    }, id);
                    break;
                case 6: clock.Advance(TimeSpan.FromSeconds(op.Number / 10.0 + 1)); break;
                case 7: await s.CheckTtlAsync(CancellationToken.None); break;
                case 8:
                    await s.CreateLineage(new CreateLineageRequest
                    {
                        Inputs = op.Flag ? [op.Path] : [],
                        Outputs = [op.Other],
                        Job = LineageJob.InProcess("Jobs.Copy", op.Path),
                    }, id);
                    break;
                case 9: await s.DeleteLineage(op.Number % 6, op.Flag, id); break;
                case 10:
                    await s.RecordLineageRun(op.Number % 6, new LineageRun
                    {
                        RunId = 1, Attempt = (int)(op.Number % 3) + 1, StartedAt = clock.GetUtcNow(), Silo = "s", ExitCode = (int)op.Number,
                    }, id);
                    break;
            }
        }
        catch (FsException) { }
    }
}
