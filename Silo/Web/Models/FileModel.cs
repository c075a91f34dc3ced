namespace OrleansFs.Silo.Web.Models;

/// <summary>A file's page and `/api/v1/file`. Block locations and the preview stay null until the data path reports them.</summary>
public sealed record FileModel
{
    public required EntryModel Entry { get; init; }
    public required long BlockSizeBytes { get; init; }
    public required DateTimeOffset CreationTime { get; init; }
    public required string WriteType { get; init; }
    public required IReadOnlyList<BlockModel> Blocks { get; init; }
    public required bool BlockLocationsReported { get; init; }
    public PreviewModel? Preview { get; init; }
    public string? PreviewError { get; init; }
}
