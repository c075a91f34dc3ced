using OrleansFs.Files;
using OrleansFs.Grains.Master.Serialization;

namespace OrleansFs.Grains.Master.Entries;

/// <summary>Null fields leave the attribute as it is.</summary>
public sealed record SetAttributeEntry(
    Guid RequestId, long TimeMs, string Path, bool? Pinned, long? TtlMs, TtlAction? TtlAction,
    PersistenceState? PersistenceState, bool Recursive) : MasterEntry(RequestId, TimeMs)
{
    public override MasterEntryType Type => MasterEntryType.SetAttribute;
    public override string Describe() => Path;

    [Flags]
    private enum Present : byte { Pinned = 1, Ttl = 2, TtlAction = 4, Persistence = 8, Recursive = 16 }

    internal override void WriteBody(ref EntryWriter writer)
    {
        writer.WriteString(Path);
        var present = (Pinned.HasValue ? Present.Pinned : 0) | (TtlMs.HasValue ? Present.Ttl : 0) |
                      (TtlAction.HasValue ? Present.TtlAction : 0) | (PersistenceState.HasValue ? Present.Persistence : 0) |
                      (Recursive ? Present.Recursive : 0);
        writer.WriteByte((byte)present);
        if (Pinned is { } pinned) writer.WriteBool(pinned);
        if (TtlMs is { } ttl) writer.WriteVarInt64(ttl);
        if (TtlAction is { } action) writer.WriteByte((byte)action);
        if (PersistenceState is { } state) writer.WriteByte((byte)state);
    }

    internal static SetAttributeEntry Read(Guid requestId, long timeMs, ref EntryReader reader)
    {
        string path = reader.ReadString();
        var present = (Present)reader.ReadByte();
        bool? pinned = present.HasFlag(Present.Pinned) ? reader.ReadBool() : null;
        long? ttl = present.HasFlag(Present.Ttl) ? reader.ReadVarInt64() : null;
        TtlAction? action = present.HasFlag(Present.TtlAction) ? reader.ReadEnum<TtlAction>() : null;
        PersistenceState? state = present.HasFlag(Present.Persistence) ? reader.ReadEnum<PersistenceState>() : null;
        return new(requestId, timeMs, path, pinned, ttl, action, state, present.HasFlag(Present.Recursive));
    }
}
