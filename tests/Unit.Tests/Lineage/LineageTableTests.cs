using OrleansFs.Errors;
using OrleansFs.Grains.Lineage.Records;
using OrleansFs.Grains.Master.Entries;

namespace OrleansFs.Tests.Lineage;

/// <summary>The lineage graph on its own: file ids stand for files, no namespace involved.</summary>
public sealed class LineageTableTests
{
    private static readonly LineageJobData Job = new(1, null, [], null, "Jobs.Copy", []);

    private static LineageTable Add(LineageTable table, long[] inputs, long[] outputs, out long id) =>
        table.Add(inputs.Select(f => new LineageFile(f, $"/f{f}")).ToList(), outputs.Select(f => new LineageFile(f, $"/f{f}")).ToList(),
            Job, 1000, false, out id);

    /// <summary>1 → [A] → 2 → [B] → 3 → [C] → 4, and 2 → [D] → 5.</summary>
    private static (LineageTable Table, long A, long B, long C, long D) Chain()
    {
        var t = Add(LineageTable.Empty, [1], [2], out long a);
        t = Add(t, [2], [3], out long b);
        t = Add(t, [3], [4], out long c);
        t = Add(t, [2], [5], out long d);
        return (t, a, b, c, d);
    }

    [Fact]
    public void Ids_count_from_one_and_the_indexes_name_producers_consumers_parents_and_children()
    {
        var (t, a, b, c, d) = Chain();

        Assert.Equal([1L, 2, 3, 4], [a, b, c, d]);
        Assert.Equal(5, t.NextId);
        Assert.Equal(b, t.ProducerOf(3));
        Assert.Null(t.ProducerOf(1));
        Assert.Equal([b, d], t.ConsumersOf(2));
        Assert.Equal([a], t.ParentsOf(t.Get(b)!));
        Assert.Equal([b, d], t.ChildrenOf(t.Get(a)!));
        Assert.Empty(t.ChildrenOf(t.Get(c)!));
    }

    [Fact]
    public void Upstream_follows_producers_back_to_the_first_inputs()
    {
        var (t, _, _, _, _) = Chain();

        Assert.Equal(new HashSet<long> { 4, 3, 2, 1 }, t.Upstream([4]).ToHashSet());
        Assert.Equal(new HashSet<long> { 5, 2, 1 }, t.Upstream([5]).ToHashSet());
        Assert.Equal(new HashSet<long> { 1 }, t.Upstream([1]).ToHashSet());
    }

    [Fact]
    public void A_file_already_made_by_a_lineage_cannot_be_made_by_another()
    {
        var (t, _, b, _, _) = Chain();

        var error = Assert.Throws<FsException>(() => Add(t, [1], [3], out _));

        Assert.Contains($"already an output of lineage {b}", error.Message);
    }

    [Fact]
    public void Deleting_a_lineage_others_read_is_refused_without_cascade_and_changes_nothing()
    {
        var (t, a, b, _, d) = Chain();

        var error = Assert.Throws<FsException>(() => t.Remove(a, cascade: false, out _));

        Assert.Equal(FsErrorCode.InvalidArgument, error.Code);
        Assert.Contains($"downstream lineages {b}, {d}", error.Message);
        Assert.Equal(4, t.Count);
    }

    [Fact]
    public void Cascade_deletes_every_lineage_downstream_and_leaves_the_rest()
    {
        var (t, a, b, c, d) = Chain();

        var afterB = t.Remove(b, cascade: true, out var removed);

        Assert.Equal([b, c], removed);
        Assert.Equal([a, d], afterB.Lineages.Keys);
        Assert.Null(afterB.ProducerOf(3));
        Assert.Null(afterB.ProducerOf(4));
        Assert.Equal([d], afterB.ConsumersOf(2));

        var empty = t.Remove(a, cascade: true, out var all);
        Assert.Equal([a, b, d, c], all);
        Assert.Equal(0, empty.Count);
        Assert.False(empty.IsBound(2));
        Assert.Equal(5, empty.NextId);
    }

    [Fact]
    public void Deleting_a_leaf_lineage_without_cascade_frees_only_its_own_files()
    {
        var (t, _, b, c, _) = Chain();

        var after = t.Remove(c, cascade: false, out var removed);

        Assert.Equal([c], removed);
        Assert.Empty(after.ChildrenOf(after.Get(b)!));
        Assert.Equal(b, after.ProducerOf(3));
        Assert.Throws<FsException>(() => after.Remove(c, false, out _));
    }

    [Fact]
    public void Unbinding_a_deleted_file_keeps_its_path_in_every_lineage_that_names_it()
    {
        var (t, a, b, _, d) = Chain();

        var after = t.Unbind(2, "/gone/two");

        Assert.Equal(new LineageFile(null, "/gone/two"), after.Get(a)!.Outputs[0]);
        Assert.Equal(new LineageFile(null, "/gone/two"), after.Get(b)!.Inputs[0]);
        Assert.Equal(new LineageFile(null, "/gone/two"), after.Get(d)!.Inputs[0]);
        Assert.False(after.IsBound(2));
        Assert.Empty(after.ChildrenOf(after.Get(a)!));
        Assert.Same(after, after.Unbind(2, "/again"));
    }

    [Fact]
    public void An_overwritten_file_keeps_its_place_in_every_lineage_and_an_output_forgets_its_checksum()
    {
        var (t, a, b, _, d) = Chain();
        t = t.RecordChecksum(a, 2, "/f2", 0xABCDEF);

        var after = t.Rebind(2, 9);

        Assert.Equal(new LineageFile(9, "/f2"), after.Get(a)!.Outputs[0]);
        Assert.Equal(9, after.Get(b)!.Inputs[0].FileId);
        Assert.Equal(a, after.ProducerOf(9));
        Assert.Equal([b, d], after.ConsumersOf(9));
        Assert.False(after.IsBound(2));
    }

    [Fact]
    public void Runs_replace_the_same_attempt_keep_the_last_twenty_and_start_at_one()
    {
        var (t, a, _, _, _) = Chain();
        var running = new LineageRunData(1, 1, 0, 10, null, "s1", 0, null, null, "", "");
        t = t.RecordRun(a, running);
        t = t.RecordRun(a, running with { EndedMs = 20, Outcome = 1, ExitCode = 0, StdoutTail = "ok" });

        Assert.Equal([running with { EndedMs = 20, Outcome = 1, ExitCode = 0, StdoutTail = "ok" }], t.Get(a)!.Runs);

        for (int i = 2; i <= 25; i++) t = t.RecordRun(a, running with { RunId = i });
        var runs = t.Get(a)!.Runs;
        Assert.Equal(LineageRecord.MaxRuns, runs.Count);
        Assert.Equal(6, runs[0].RunId);
        Assert.Equal(25, runs[^1].RunId);

        Assert.Throws<FsException>(() => t.RecordRun(a, running with { Attempt = 0 }));
        Assert.Equal(FsErrorCode.NotFound, Assert.Throws<FsException>(() => t.RecordRun(99, running)).Code);
    }

    [Fact]
    public void Only_the_first_checksum_of_an_output_is_kept()
    {
        var (t, a, _, _, _) = Chain();

        t = t.RecordChecksum(a, 2, "/f2", 1);
        t = t.RecordChecksum(a, 2, "/f2", 2);

        Assert.Equal(1UL, t.Get(a)!.Outputs[0].Checksum);
        Assert.Contains("not an output of lineage", Assert.Throws<FsException>(() => t.RecordChecksum(a, 1, "/f1", 3)).Message);
    }

    [Fact]
    public void Loading_records_rebuilds_the_same_indexes()
    {
        var (t, a, b, _, d) = Chain();

        var loaded = LineageTable.Load(t.NextId, t.Lineages.Values);

        Assert.Equal(t.NextId, loaded.NextId);
        Assert.Equal([b, d], loaded.ConsumersOf(2));
        Assert.Equal(a, loaded.ProducerOf(2));
        Assert.Throws<InvalidDataException>(() => LineageTable.Load(2, t.Lineages.Values));
    }
}
