using Microsoft.Extensions.Options;

namespace OrleansFs.Grains.Journal;

/// <summary>Rejects journal settings this build cannot serve, at startup, with the key to fix.</summary>
public sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
{
    public const string DirectoryKind = "Directory";
    public const string PostgreSqlKind = "PostgreSql";
    public const string AdoNetKind = "AdoNet";

    public static bool IsPostgreSql(string? kind) => string.Equals(kind, PostgreSqlKind, StringComparison.OrdinalIgnoreCase);

    public ValidateOptionsResult Validate(string? name, JournalOptions options)
    {
        if (string.Equals(options.Kind, AdoNetKind, StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail(
                "Journal:Kind=AdoNet is not a journal kind; for the journal in PostgreSQL use Journal:Kind=PostgreSql with PostgreSql:ConnectionString");
        if (options.EpochCheckTimeout <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Journal:EpochCheckTimeout {options.EpochCheckTimeout} must be positive");
        if (IsPostgreSql(options.Kind))
            return options.CheckpointRecords <= 0 || options.CheckpointBytes <= 0
                ? ValidateOptionsResult.Fail("Journal:CheckpointRecords and Journal:CheckpointBytes must be positive")
                : ValidateOptionsResult.Success;
        if (!string.Equals(options.Kind, DirectoryKind, StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail($"Journal:Kind={options.Kind} is unknown; use Directory or PostgreSql");
        if (string.IsNullOrWhiteSpace(options.Directory))
            return ValidateOptionsResult.Fail("Journal:Directory must name the journal directory");
        if (options.SegmentBytes < RecordFrame.HeaderSize)
            return ValidateOptionsResult.Fail($"Journal:SegmentBytes={options.SegmentBytes} is too small");
        if (options.CheckpointRecords <= 0 || options.CheckpointBytes <= 0)
            return ValidateOptionsResult.Fail("Journal:CheckpointRecords and Journal:CheckpointBytes must be positive");
        return ValidateOptionsResult.Success;
    }
}
