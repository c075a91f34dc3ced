using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Journal;

/// <summary>Rejects journal settings this build cannot serve, at startup, with the key to fix.</summary>
public sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
{
    public const string DirectoryKind = "Directory";
    public const string AdoNetKind = "AdoNet";

    public ValidateOptionsResult Validate(string? name, JournalOptions options)
    {
        if (string.Equals(options.Kind, AdoNetKind, StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail(
                "Journal:Kind=AdoNet (a PostgreSQL journal) is not implemented yet; use Journal:Kind=Directory with Journal:Directory");
        if (!string.Equals(options.Kind, DirectoryKind, StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail($"Journal:Kind={options.Kind} is unknown; use Directory");
        if (string.IsNullOrWhiteSpace(options.Directory))
            return ValidateOptionsResult.Fail("Journal:Directory must name the journal directory");
        if (options.SegmentBytes < RecordFrame.HeaderSize)
            return ValidateOptionsResult.Fail($"Journal:SegmentBytes={options.SegmentBytes} is too small");
        if (options.CheckpointRecords <= 0 || options.CheckpointBytes <= 0)
            return ValidateOptionsResult.Fail("Journal:CheckpointRecords and Journal:CheckpointBytes must be positive");
        return ValidateOptionsResult.Success;
    }
}
