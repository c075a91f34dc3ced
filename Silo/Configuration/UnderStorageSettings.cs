namespace OrleansFs.Silo.Configuration;

/// <summary>The `UnderStorage` section: the root directory persisted files are written under.</summary>
public sealed class UnderStorageSettings
{
    public const string Section = "UnderStorage";

    public string Directory { get; set; } = "./data/ufs";
}
