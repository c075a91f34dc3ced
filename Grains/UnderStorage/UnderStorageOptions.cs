namespace OrleansFs.Grains.UnderStorage;

/// <summary>Configuration section <c>UnderStorage</c>: where persisted files live.</summary>
public sealed class UnderStorageOptions
{
    public const string Section = "UnderStorage";

    /// <summary>Root of the under-storage, a directory on a mount every silo shares.</summary>
    public string Directory { get; set; } = "./data/ufs";
}
