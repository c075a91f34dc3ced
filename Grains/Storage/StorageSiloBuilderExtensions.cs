using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal.PostgreSql;

namespace OrleansFs.Grains.Storage;

/// <summary>
/// Grain storage (named <see cref="GrainStorageName"/>) and the reminder service: Orleans' ADO.NET providers on
/// PostgreSQL for `Storage:Kind=PostgreSql`, Orleans' in-memory ones otherwise, so a directory-journal
/// installation runs without a database (its reminders then live only as long as some silo does).
/// </summary>
public static class StorageSiloBuilderExtensions
{
    public const string GrainStorageName = "OrleansFs";
    /// <summary>The ADO.NET invariant that makes Orleans load Npgsql's factory.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    public static ISiloBuilder AddOrleansFsStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOrleansFsSection<StorageOptions, StorageOptionsValidator>(configuration, StorageOptions.Section);
        // Shared with the PostgreSQL journal (which registers it too: binding the same section twice is harmless).
        silo.Services.AddOrleansFsSection<PostgreSqlOptions, PostgreSqlOptionsValidator>(configuration, PostgreSqlOptions.Section);
        var storage = configuration.GetOrleansFsSection<StorageOptions>(StorageOptions.Section);
        // The master's reminder may be shorter than Orleans' one-minute floor (tests; small sites).
        silo.Services.Configure<ReminderOptions>(o =>
            o.MinimumReminderPeriod = storage.MasterReminderPeriod < o.MinimumReminderPeriod ? storage.MasterReminderPeriod : o.MinimumReminderPeriod);
        if (!storage.IsPostgreSql)
        {
            silo.AddMemoryGrainStorage(GrainStorageName);
            silo.UseInMemoryReminderService();
            return silo;
        }
        string connectionString = configuration.GetOrleansFsSection<PostgreSqlOptions>(PostgreSqlOptions.Section).ConnectionString;
        silo.AddAdoNetGrainStorage(GrainStorageName, o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }
}
