using System.Text.Json.Serialization;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>Source-generated System.Text.Json metadata for the stored documents.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(MembershipEntryDocument))]
[JsonSerializable(typeof(DateTime))]
internal sealed partial class MembershipJsonContext : JsonSerializerContext
{
}
