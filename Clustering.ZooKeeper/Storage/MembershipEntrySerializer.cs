using System.Text.Json;
using Orleans;
using Orleans.Runtime;

namespace OrleansFs.Clustering.ZooKeeper;

/// <summary>Turns a MembershipEntry into its row and IAmAlive node data, and back.</summary>
internal static class MembershipEntrySerializer
{
    public static byte[] SerializeRow(MembershipEntry entry) =>
        JsonSerializer.SerializeToUtf8Bytes(new MembershipEntryDocument(
            entry.SiloAddress.ToParsableString(),
            entry.Status.ToString(),
            entry.SuspectTimes?.Select(v => new SuspectVoteDocument(v.Item1.ToParsableString(), v.Item2)).ToList() ?? [],
            entry.ProxyPort,
            entry.HostName,
            entry.SiloName,
            entry.RoleName,
            entry.UpdateZone,
            entry.FaultZone,
            entry.StartTime), MembershipJsonContext.Default.MembershipEntryDocument);

    public static byte[] SerializeIAmAlive(DateTime time) => JsonSerializer.SerializeToUtf8Bytes(time, MembershipJsonContext.Default.DateTime);

    /// <summary>Rebuilds an entry; throws <see cref="ZooKeeperMembershipTableException"/> naming the node if the data is damaged.</summary>
    public static MembershipEntry Deserialize(string path, byte[] row, byte[]? iAmAlive)
    {
        try
        {
            var document = JsonSerializer.Deserialize(row, MembershipJsonContext.Default.MembershipEntryDocument)
                ?? throw new JsonException("the row is null");
            return new MembershipEntry
            {
                SiloAddress = SiloAddress.FromParsableString(document.SiloAddress),
                Status = Enum.Parse<SiloStatus>(document.Status),
                SuspectTimes = document.SuspectTimes.Select(v => Tuple.Create(SiloAddress.FromParsableString(v.Silo), v.Time)).ToList(),
                ProxyPort = document.ProxyPort,
                HostName = document.HostName!,
                SiloName = document.SiloName!,
                RoleName = document.RoleName,
                UpdateZone = document.UpdateZone,
                FaultZone = document.FaultZone,
                StartTime = document.StartTime,
                IAmAliveTime = iAmAlive is { Length: > 0 } ? JsonSerializer.Deserialize(iAmAlive, MembershipJsonContext.Default.DateTime) : document.StartTime,
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            throw new ZooKeeperMembershipTableException($"The membership row {path} holds data that is not a membership entry: {ex.Message}", ex);
        }
    }
}
