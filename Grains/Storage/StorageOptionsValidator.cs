using Microsoft.Extensions.Options;
using OrleansFs.Grains.Journal.PostgreSql;

namespace OrleansFs.Grains.Storage;

/// <summary>Checks the `Storage` section, and the PostgreSQL connection string when storage is there.</summary>
public sealed class StorageOptionsValidator(IOptions<PostgreSqlOptions>? postgreSql = null) : IValidateOptions<StorageOptions>
{
    /// <summary>Orleans' reminder service ticks about once a second: a shorter period would not be kept.</summary>
    public static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromSeconds(1);

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!options.IsPostgreSql && !string.Equals(options.Kind, StorageOptions.Memory, StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail($"Storage:Kind must be {StorageOptions.Memory} or {StorageOptions.PostgreSql}, not '{options.Kind}'");
        if (options.MasterReminderPeriod < MinimumReminderPeriod)
            return ValidateOptionsResult.Fail($"Storage:MasterReminderPeriod must be at least {MinimumReminderPeriod}, not {options.MasterReminderPeriod}");
        if (options.IsPostgreSql && string.IsNullOrWhiteSpace(postgreSql?.Value.ConnectionString))
            return ValidateOptionsResult.Fail(
                "PostgreSql:ConnectionString must be set for Storage:Kind=PostgreSql (e.g. Host=db;Database=ofs;Username=ofs;Password=...)");
        return ValidateOptionsResult.Success;
    }
}
