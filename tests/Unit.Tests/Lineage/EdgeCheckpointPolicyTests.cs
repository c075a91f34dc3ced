using OrleansFs.Grains.Lineage.Checkpoint;

namespace OrleansFs.Tests.Lineage;

public sealed class EdgeCheckpointPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static CheckpointNode Job(long id, string[] inputs, string[] outputs, double minutes = 1) =>
        new(id, inputs, outputs, TimeSpan.FromMinutes(minutes), T0.AddSeconds(id));

    private static string[] Paths(IReadOnlyList<CheckpointChoice> plan) => plan.Select(c => c.Path).ToArray();

    private static Dictionary<string, CheckpointFileState> InMemory(params string[] paths) =>
        paths.ToDictionary(p => p, _ => CheckpointFileState.InMemory);

    [Fact]
    public void A_chain_within_the_bound_persists_only_its_leaf()
    {
        // /raw (persisted input) -> 1 -> /a -> 2 -> /b -> 3 -> /c
        CheckpointNode[] graph = [Job(1, ["/raw"], ["/a"]), Job(2, ["/a"], ["/b"]), Job(3, ["/b"], ["/c"])];

        var plan = Paths(EdgeCheckpointPolicy.Plan(graph, InMemory("/a", "/b", "/c"), TimeSpan.FromMinutes(3)));

        Assert.Equal(["/c"], plan);
    }

    [Fact]
    public void Leaves_come_first_newest_lineage_first_then_outputs_that_cut_a_long_chain()
    {
        // Two chains: 1 -> /a -> 2 -> /b -> 3 -> /c (leaf), and 4 -> /x (leaf, newest).
        CheckpointNode[] graph =
        [
            Job(1, ["/raw"], ["/a"]), Job(2, ["/a"], ["/b"]), Job(3, ["/b"], ["/c"]), Job(4, ["/raw"], ["/x"]),
        ];

        var plan = Paths(EdgeCheckpointPolicy.Plan(graph, InMemory("/a", "/b", "/c", "/x"), TimeSpan.FromMinutes(1.5)));

        // /b alone would cost jobs 1 and 2 (2 min > 1.5): persisted after the leaves; /a (1 min) is not.
        Assert.Equal(["/x", "/c", "/b"], plan);
    }

    [Fact]
    public void Every_output_left_in_memory_rebuilds_within_the_bound()
    {
        // A chain of ten one-minute jobs under a bound of 2.5 minutes.
        var graph = Enumerable.Range(1, 10).Select(i => Job(i, [$"/f{i - 1}"], [$"/f{i}"])).ToArray();
        var files = InMemory(Enumerable.Range(1, 10).Select(i => $"/f{i}").ToArray());
        var bound = TimeSpan.FromMinutes(2.5);

        var plan = Paths(EdgeCheckpointPolicy.Plan(graph, files, bound));

        Assert.Equal("/f10", plan[0]);
        Assert.Equal(["/f10", "/f3", "/f6", "/f9"], plan);
        var chosen = plan.ToHashSet(StringComparer.Ordinal);
        var producers = EdgeCheckpointPolicy.Producers(graph);
        foreach (var lineage in graph.Where(l => !chosen.Contains(l.Outputs[0])))
            Assert.True(EdgeCheckpointPolicy.RecomputeTime(lineage, producers, files, chosen) <= bound, lineage.Outputs[0]);
    }

    [Fact]
    public void A_persisted_output_ends_the_chain_above_it()
    {
        CheckpointNode[] graph = [Job(1, ["/raw"], ["/a"]), Job(2, ["/a"], ["/b"]), Job(3, ["/b"], ["/c"])];
        var files = InMemory("/b", "/c");
        files["/a"] = CheckpointFileState.Persisted;

        // /b costs only job 2 (its input /a reloads): within a 1.5-minute bound, so only the leaf is planned.
        Assert.Equal(["/c"], Paths(EdgeCheckpointPolicy.Plan(graph, files, TimeSpan.FromMinutes(1.5))));
    }

    [Fact]
    public void A_job_slower_than_the_bound_has_its_outputs_persisted_even_when_they_are_not_leaves()
    {
        CheckpointNode[] graph = [Job(1, ["/raw"], ["/big", "/side"], minutes: 5), Job(2, ["/big"], ["/out"], minutes: 0.1)];

        var plan = Paths(EdgeCheckpointPolicy.Plan(graph, InMemory("/big", "/side", "/out"), Minute));

        // /side is read by no lineage: a leaf. /big cuts the 5-minute job out of /out's chain.
        Assert.Equal(["/out", "/side", "/big"], plan);
    }

    [Fact]
    public void Outputs_not_ready_or_already_persisted_are_never_planned()
    {
        CheckpointNode[] graph = [Job(1, ["/raw"], ["/writing"]), Job(2, ["/raw"], ["/done"]), Job(3, ["/raw"], ["/lost"])];
        var files = new Dictionary<string, CheckpointFileState>
        {
            ["/writing"] = CheckpointFileState.NotReady,
            ["/done"] = CheckpointFileState.Persisted,
            ["/lost"] = CheckpointFileState.NotReady,
        };

        Assert.Empty(EdgeCheckpointPolicy.Plan(graph, files, Minute));
    }

    [Fact]
    public void A_lost_input_counts_as_rebuilt_upstream()
    {
        CheckpointNode[] graph = [Job(1, ["/raw"], ["/a"]), Job(2, ["/a"], ["/b"]), Job(3, ["/b"], ["/c"])];
        var files = InMemory("/b", "/c");
        files["/a"] = CheckpointFileState.NotReady; // lost: rebuilding /b runs job 1 first

        var producers = EdgeCheckpointPolicy.Producers(graph);
        Assert.Equal(TimeSpan.FromMinutes(2), EdgeCheckpointPolicy.RecomputeTime(graph[1], producers, files, new HashSet<string>()));
        Assert.Equal(["/c", "/b"], Paths(EdgeCheckpointPolicy.Plan(graph, files, TimeSpan.FromMinutes(1.5))));
    }

    [Fact]
    public void A_diamond_counts_a_shared_upstream_job_once()
    {
        // 1 -> /a; 2: /a -> /l; 3: /a -> /r; 4: /l,/r -> /out
        CheckpointNode[] graph =
        [
            Job(1, ["/raw"], ["/a"]), Job(2, ["/a"], ["/l"]), Job(3, ["/a"], ["/r"]), Job(4, ["/l", "/r"], ["/out"]),
        ];
        var files = InMemory("/a", "/l", "/r", "/out");

        var producers = EdgeCheckpointPolicy.Producers(graph);
        Assert.Equal(TimeSpan.FromMinutes(4), EdgeCheckpointPolicy.RecomputeTime(graph[3], producers, files, new HashSet<string>()));
    }
}
