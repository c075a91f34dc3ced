using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Lineage;

/// <summary>
/// A box of the lineage picture, in pixels from the top left. <see cref="Id"/> is <c>file:PATH</c> or
/// <c>job:ID</c>; <see cref="Label"/> is what fits in the box, <see cref="Title"/> the whole text (its tooltip).
/// </summary>
public sealed record GraphNode(
    string Id,
    GraphNodeKind Kind,
    string Label,
    string Title,
    LineageFileState? State,
    int Layer,
    int X,
    int Y,
    int Width,
    int Height);
