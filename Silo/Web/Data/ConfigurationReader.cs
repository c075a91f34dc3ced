using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Failover;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Silo.Configuration;
using OrleansFs.Silo.Web.Models;
using OrleansFs.Grains.Journal.PostgreSql;
using OrleansFs.Grains.Storage;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Data;

/// <summary>
/// The effective OrleansFs settings and which provider set each. Every setting of the options classes the silo
/// runs with is listed (a key no provider sets shows the class's default, from "default"), and any other key
/// written in OrleansFs' sections as it was written. Values of keys named like a secret are redacted. Only
/// OrleansFs' own sections are shown: the process environment is not configuration.
/// </summary>
public sealed partial class ConfigurationReader(IConfiguration configuration, IServiceProvider services)
{
    public const string RedactedValue = "***redacted***";
    public const string DefaultSource = "default";

    /// <summary>One options class per section: the classes the silo binds and validates.</summary>
    public static readonly IReadOnlyList<(string Section, Type Options)> OptionsSections =
    [
        (OrleansFsClusterOptions.Section, typeof(OrleansFsClusterOptions)),
        (SiloHostOptions.Section, typeof(SiloHostOptions)),
        (WebOptions.Section, typeof(WebOptions)),
        (DashboardEndpointOptions.Section, typeof(DashboardEndpointOptions)),
        (ZooKeeperOptions.Section, typeof(ZooKeeperOptions)),
        (JournalOptions.Section, typeof(JournalOptions)),
        (PostgreSqlOptions.Section, typeof(PostgreSqlOptions)),
        (UnderStorageOptions.Section, typeof(UnderStorageOptions)),
        (WorkerOptions.Section, typeof(WorkerOptions)),
        (MasterOptions.Section, typeof(MasterOptions)),
        (FailoverOptions.Section, typeof(FailoverOptions)),
        (StorageOptions.Section, typeof(StorageOptions)),
    ];

    /// <summary>Sections shown as written, with no options class of their own (yet).</summary>
    private static readonly string[] OtherSections = ["Blocks", "Lineage", "Orleans", "Logging"];

    public static readonly IReadOnlyList<string> Sections = [.. OptionsSections.Select(s => s.Section), .. OtherSections];

    public ConfigModel Read()
    {
        var written = Sections
            .SelectMany(s => configuration.GetSection(s).AsEnumerable())
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.OrdinalIgnoreCase);
        var settings = written.Select(kv => ToEntry(kv.Key, kv.Value, SourceOf(kv.Key)))
            .Concat(Defaults().Where(kv => !written.ContainsKey(kv.Key)).Select(kv => ToEntry(kv.Key, kv.Value, DefaultSource)))
            .OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new ConfigModel(settings);
    }

    public static bool IsSecret(string key) => SecretKey().IsMatch(key);

    /// <summary>Each options class's settings as the silo runs with them.</summary>
    private IEnumerable<KeyValuePair<string, string>> Defaults()
    {
        foreach (var (section, type) in OptionsSections)
        {
            if (services.GetService(typeof(IOptions<>).MakeGenericType(type)) is not IOptions<object> options) continue;
            foreach (var property in Settings(type))
            {
                if (Format(property.GetValue(options.Value)) is { } value) yield return new($"{section}:{property.Name}", value);
            }
        }
    }

    private static IEnumerable<PropertyInfo> Settings(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.SetMethod is { IsPublic: true } && IsScalar(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType));

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal);

    private static string? Format(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

    private static ConfigEntryModel ToEntry(string key, string value, string source)
    {
        bool secret = IsSecret(key);
        return new ConfigEntryModel(key, secret ? RedactedValue : value, source, secret);
    }

    /// <summary>The last provider that has the key is the one whose value is in effect.</summary>
    private string SourceOf(string key)
    {
        if (configuration is not IConfigurationRoot root) return "";
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(key, out _)) return Describe(provider);
        }
        return "";
    }

    private static string Describe(IConfigurationProvider provider) => provider switch
    {
        FileConfigurationProvider file => file.Source.Path ?? "file",
        _ => provider.GetType().Name.Replace("ConfigurationProvider", "", StringComparison.Ordinal),
    };

    [GeneratedRegex(@"connectionstring|password|passwd|pwd|token|secret|apikey|accesskey|credential|\bauth\b", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();
}
