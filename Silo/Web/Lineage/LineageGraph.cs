namespace OrleansFs.Silo.Web.Lineage;

/// <summary>The laid-out lineage picture: its size in pixels, its boxes and its arrows.</summary>
public sealed record LineageGraph(int Width, int Height, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges);
