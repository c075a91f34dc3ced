using OrleansFs.Errors;
using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>
/// A mutating request that failed. It changes no inode; it is journaled so that a retry of the request,
/// even after a failover, gets the same error instead of being tried again on a namespace that moved on.
/// </summary>
public sealed record OperationFailedEntry(
    Guid RequestId, long TimeMs, MasterEntryType Operation, FsErrorCode Code, string? ErrorPath, string Reason)
    : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.OperationFailed;
    public override string Describe() => $"{Operation} {ErrorPath}: {Code}: {Reason}";

    public static OperationFailedEntry From(MasterEntry attempted, FsException error) =>
        new(attempted.RequestId, attempted.TimeMs, attempted.Type, error.Code, error.Path, error.Reason);

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteVarUInt64((ulong)Operation);
        writer.WriteByte((byte)Code);
        writer.WriteNullableString(ErrorPath);
        writer.WriteString(Reason);
    }

    internal static OperationFailedEntry Read(Guid requestId, long timeMs, ref EntryReader reader) =>
        new(requestId, timeMs, (MasterEntryType)reader.ReadVarInt32(), reader.ReadEnum<FsErrorCode>(),
            reader.ReadNullableString(), reader.ReadString());
}
