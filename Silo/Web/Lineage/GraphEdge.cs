namespace OrleansFs.Silo.Web.Lineage;

/// <summary>An arrow from a file to the job that reads it, or from a job to a file it writes; <see cref="Path"/> is SVG path data.</summary>
public sealed record GraphEdge(string From, string To, string Path);
