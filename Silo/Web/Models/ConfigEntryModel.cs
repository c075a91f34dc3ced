namespace OrleansFs.Silo.Web.Models;

/// <summary>One effective setting; <see cref="Source"/> names the provider that won (appsettings.json, environment, command line).</summary>
public sealed record ConfigEntryModel(string Key, string Value, string Source, bool Redacted);
