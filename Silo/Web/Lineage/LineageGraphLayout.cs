using System.Globalization;
using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Lineage;

/// <summary>
/// Lays the lineage graph out left to right on the server, so the page is a plain SVG that needs no script: a
/// small layered (Sugiyama-style) layout. Files and jobs alternate in columns: a file nobody writes sits in
/// column 0, a job one column right of its rightmost input, a file one column right of the job that writes it.
/// Within a column, boxes are ordered by the mean position of their neighbours (a few sweeps each way), which
/// keeps most arrows from crossing.
/// </summary>
public static class LineageGraphLayout
{
    public const int FileWidth = 190, JobWidth = 170, BoxHeight = 42, ColumnGap = 70, RowGap = 22, Margin = 16;
    private const int Sweeps = 4, MaxLabelChars = 24;

    public static LineageGraph Build(LineageModel model)
    {
        var nodes = new Dictionary<string, (GraphNodeKind Kind, string Label, string Title, LineageFileState? State)>(StringComparer.Ordinal);
        var edges = new List<(string From, string To)>();
        foreach (var file in model.Files)
            nodes[FileId(file.Path)] = (GraphNodeKind.File, Shorten(FileName(file.Path)), file.Path, file.State);
        foreach (var lineage in model.Lineages)
        {
            string job = JobId(lineage.Id);
            nodes[job] = (GraphNodeKind.Job, Shorten($"#{lineage.Id} {lineage.Job}"), $"lineage {lineage.Id}: {lineage.Job}", null);
            edges.AddRange(lineage.Inputs.Select(i => (FileId(i), job)));
            edges.AddRange(lineage.Outputs.Select(o => (job, FileId(o))));
        }
        // A file the model did not list (it should not happen) still gets a box rather than a dangling arrow.
        foreach (var id in edges.SelectMany(e => new[] { e.From, e.To }).Where(id => !nodes.ContainsKey(id)).ToList())
            nodes[id] = (GraphNodeKind.File, Shorten(FileName(id[5..])), id[5..], null);

        var layers = AssignLayers(nodes.Keys, edges);
        var columns = OrderColumns(nodes.Keys, layers, edges);
        return Place(nodes, columns, edges);
    }

    public static string FileId(string path) => "file:" + path;

    public static string JobId(long lineageId) => "job:" + lineageId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Longest path from a source, so every arrow points right.</summary>
    private static Dictionary<string, int> AssignLayers(IEnumerable<string> ids, List<(string From, string To)> edges)
    {
        var incoming = edges.ToLookup(e => e.To, e => e.From);
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        int LayerOf(string id)
        {
            if (layers.TryGetValue(id, out int known)) return known;
            if (!visiting.Add(id)) return 0; // a cycle (refused by the master): cut it here
            int layer = id.StartsWith("job:", StringComparison.Ordinal) ? 1 : 0;
            foreach (var from in incoming[id]) layer = Math.Max(layer, LayerOf(from) + 1);
            visiting.Remove(id);
            return layers[id] = layer;
        }
        foreach (var id in ids) LayerOf(id);
        return layers;
    }

    private static List<List<string>> OrderColumns(IEnumerable<string> ids, Dictionary<string, int> layers, List<(string From, string To)> edges)
    {
        int count = layers.Values.DefaultIfEmpty(0).Max() + 1;
        var columns = Enumerable.Range(0, count).Select(_ => new List<string>()).ToList();
        foreach (var id in ids) columns[layers[id]].Add(id);
        var left = edges.ToLookup(e => e.To, e => e.From);
        var right = edges.ToLookup(e => e.From, e => e.To);
        for (int sweep = 0; sweep < Sweeps; sweep++)
        {
            for (int c = 1; c < count; c++) SortByNeighbours(columns[c], columns[c - 1], left);
            for (int c = count - 2; c >= 0; c--) SortByNeighbours(columns[c], columns[c + 1], right);
        }
        return columns;
    }

    /// <summary>Orders a column by the mean index of each box's neighbours in the next column; a box with none keeps its place.</summary>
    private static void SortByNeighbours(List<string> column, List<string> neighbours, ILookup<string, string> linked)
    {
        var index = neighbours.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => (double)p.i, StringComparer.Ordinal);
        var keys = column.Select((id, i) =>
        {
            var near = linked[id].Where(index.ContainsKey).Select(n => index[n]).ToList();
            return (id, key: near.Count == 0 ? i : near.Average(), i);
        }).OrderBy(k => k.key).ThenBy(k => k.i).Select(k => k.id).ToList();
        column.Clear();
        column.AddRange(keys);
    }

    private static LineageGraph Place(
        Dictionary<string, (GraphNodeKind Kind, string Label, string Title, LineageFileState? State)> nodes,
        List<List<string>> columns,
        List<(string From, string To)> edges)
    {
        int tallest = columns.Max(c => c.Count);
        int height = Margin * 2 + Math.Max(tallest, 1) * BoxHeight + Math.Max(tallest - 1, 0) * RowGap;
        var placed = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        int x = Margin;
        for (int c = 0; c < columns.Count; c++)
        {
            var column = columns[c];
            int width = column.Select(id => nodes[id].Kind == GraphNodeKind.Job ? JobWidth : FileWidth).DefaultIfEmpty(FileWidth).Max();
            int columnHeight = column.Count * BoxHeight + Math.Max(column.Count - 1, 0) * RowGap;
            int y = (height - columnHeight) / 2;
            foreach (var id in column)
            {
                var n = nodes[id];
                int w = n.Kind == GraphNodeKind.Job ? JobWidth : FileWidth;
                placed[id] = new GraphNode(id, n.Kind, n.Label, n.Title, n.State, c, x + (width - w) / 2, y, w, BoxHeight);
                y += BoxHeight + RowGap;
            }
            x += width + ColumnGap;
        }
        int totalWidth = Math.Max(x - ColumnGap + Margin, Margin * 2);
        var arrows = edges.Select(e => new GraphEdge(e.From, e.To, Curve(placed[e.From], placed[e.To]))).ToList();
        var ordered = columns.SelectMany(c => c).Select(id => placed[id]).ToList();
        return new LineageGraph(totalWidth, height, ordered, arrows);
    }

    /// <summary>A cubic curve from the middle of one box's right side to the middle of the other's left side.</summary>
    private static string Curve(GraphNode from, GraphNode to)
    {
        int x1 = from.X + from.Width, y1 = from.Y + from.Height / 2, x2 = to.X, y2 = to.Y + to.Height / 2;
        int bend = Math.Max((x2 - x1) / 2, 10);
        return string.Create(CultureInfo.InvariantCulture, $"M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}");
    }

    private static string FileName(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 || slash == path.Length - 1 ? path : path[(slash + 1)..];
    }

    private static string Shorten(string text) => text.Length <= MaxLabelChars ? text : text[..(MaxLabelChars - 1)] + "…";
}
