using OrleansFs.Tests.Network;

namespace OrleansFs.Tests.HostFaults;

/// <summary>A fact that needs network namespaces: skipped, with the reason, only where they cannot be created.</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (HostNetwork.UnavailableReason is { } reason) Skip = $"network namespaces cannot be created here: {reason}";
    }
}
