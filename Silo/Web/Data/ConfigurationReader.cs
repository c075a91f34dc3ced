using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OrleansFs.Silo.Web.Models;

namespace OrleansFs.Silo.Web.Data;

/// <summary>
/// The effective OrleansFs settings and which provider set each. Values of keys named like a secret are
/// redacted. Only OrleansFs' own sections are shown: the process environment is not configuration.
/// </summary>
public sealed partial class ConfigurationReader(IConfiguration configuration)
{
    public const string RedactedValue = "***redacted***";

    public static readonly IReadOnlyList<string> Sections =
    [
        "Cluster", "Silo", "Web", "Dashboard", "ZooKeeper", "AdoNet", "Journal", "UnderStorage", "Worker",
        "Master", "Blocks", "Lineage", "Orleans", "Logging",
    ];

    public ConfigModel Read()
    {
        var settings = Sections
            .SelectMany(s => configuration.GetSection(s).AsEnumerable())
            .Where(kv => kv.Value is not null)
            .OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)
            .Select(kv => ToEntry(kv.Key, kv.Value!))
            .ToList();
        return new ConfigModel(settings);
    }

    public static bool IsSecret(string key) => SecretKey().IsMatch(key);

    private ConfigEntryModel ToEntry(string key, string value)
    {
        bool secret = IsSecret(key);
        return new ConfigEntryModel(key, secret ? RedactedValue : value, SourceOf(key), secret);
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
