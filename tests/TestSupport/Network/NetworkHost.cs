namespace OrleansFs.Tests.Network;

/// <summary>
/// One machine of a <see cref="HostNetwork"/>: a network namespace whose `eth0` has <see cref="Address"/> and is
/// joined to the bridge by the veth <see cref="RootLink"/> (its root-namespace end, which faults set down).
/// </summary>
public sealed record NetworkHost(string Name, string Namespace, string Address, string RootLink)
{
    public override string ToString() => $"{Name} ({Address}, netns {Namespace})";
}
