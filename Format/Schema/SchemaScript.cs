namespace OrleansFs.Schema;

/// <summary>One shipped schema script: its name as under deploy/sql/ (e.g. <c>orleans/002_clustering.sql</c>) and its text.</summary>
public sealed record SchemaScript(string Name, string Text);
