using OrleansFs.Silo.Web.Lineage;
using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Tests.Lineage;

public sealed class LineageGraphLayoutTests
{
    private static LineageRecordModel Lineage(long id, string[] inputs, string[] outputs) =>
        new(id, "CommandLine", $"/bin/job{id}", inputs, outputs, DateTimeOffset.UnixEpoch, [], [], []);

    private static LineageFileModel File(string path, LineageFileState state = LineageFileState.InMemory) => new(path, state, null, []);

    [Fact]
    public void A_chain_reads_left_to_right_inputs_jobs_outputs_alternating()
    {
        // /raw -> #1 -> /b -> #2 -> /c, and /raw -> #3 -> /d
        var model = new LineageModel(
            [Lineage(1, ["/raw"], ["/b"]), Lineage(2, ["/b"], ["/c"]), Lineage(3, ["/raw"], ["/d"])],
            [File("/raw", LineageFileState.Persisted), File("/b", LineageFileState.Lost), File("/c"), File("/d")]);

        var graph = LineageGraphLayout.Build(model);

        var layer = graph.Nodes.ToDictionary(n => n.Id, n => n.Layer);
        Assert.Equal(0, layer["file:/raw"]);
        Assert.Equal(1, layer["job:1"]);
        Assert.Equal(2, layer["file:/b"]);
        Assert.Equal(3, layer["job:2"]);
        Assert.Equal(4, layer["file:/c"]);
        Assert.Equal(1, layer["job:3"]);
        Assert.Equal(2, layer["file:/d"]);
        Assert.Equal(
            ["file:/b->job:2", "file:/raw->job:1", "file:/raw->job:3", "job:1->file:/b", "job:2->file:/c", "job:3->file:/d"],
            graph.Edges.Select(e => $"{e.From}->{e.To}").Order(StringComparer.Ordinal));
        Assert.Equal(LineageFileState.Lost, graph.Nodes.Single(n => n.Id == "file:/b").State);
        Assert.Null(graph.Nodes.Single(n => n.Id == "job:1").State);
    }

    [Fact]
    public void Every_arrow_points_right_and_no_two_boxes_overlap_inside_the_picture()
    {
        var lineages = Enumerable.Range(1, 8).Select(i => Lineage(i, [$"/in{i % 3}", $"/out{i - 1}"], [$"/out{i}", $"/side{i}"])).ToList();
        var paths = lineages.SelectMany(l => l.Inputs.Concat(l.Outputs)).Distinct().Select(p => File(p)).ToList();

        var graph = LineageGraphLayout.Build(new LineageModel(lineages, paths));

        var byId = graph.Nodes.ToDictionary(n => n.Id);
        foreach (var edge in graph.Edges) Assert.True(byId[edge.From].X + byId[edge.From].Width < byId[edge.To].X, $"{edge.From} -> {edge.To}");
        foreach (var a in graph.Nodes)
        {
            Assert.InRange(a.X, 0, graph.Width - a.Width);
            Assert.InRange(a.Y, 0, graph.Height - a.Height);
            foreach (var b in graph.Nodes.Where(b => b != a))
                Assert.False(a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height, $"{a.Id} overlaps {b.Id}");
        }
    }

    [Fact]
    public void A_long_name_is_shortened_in_its_box_and_kept_whole_in_its_title()
    {
        string path = "/data/" + new string('x', 60) + "<script>";
        var graph = LineageGraphLayout.Build(new LineageModel([Lineage(1, ["/in"], [path])], [File("/in"), File(path)]));

        var node = graph.Nodes.Single(n => n.Id == "file:" + path);
        Assert.Equal(path, node.Title);
        Assert.EndsWith("…", node.Label);
        Assert.True(node.Label.Length <= 24);
    }
}
