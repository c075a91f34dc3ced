namespace OrleansFs.Silo.Configuration;

/// <summary>The `AdoNet` section: a PostgreSQL connection string for membership and journal (later issues).</summary>
public sealed class AdoNetSettings
{
    public const string Section = "AdoNet";

    public string? ConnectionString { get; set; }
}
