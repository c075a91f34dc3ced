namespace OrleansFs.ZooKeeper;

/// <summary>Maps between the caller's paths and the server's: the chroot exists only on the client side.</summary>
internal readonly struct ChrootMapper(string? chroot)
{
    public string? Chroot { get; } = chroot;

    public string ToServer(string clientPath)
    {
        if (Chroot is null) return clientPath;
        return clientPath == "/" ? Chroot : Chroot + clientPath;
    }

    public string ToClient(string serverPath)
    {
        if (Chroot is null || !serverPath.StartsWith(Chroot, StringComparison.Ordinal)) return serverPath;
        return serverPath.Length == Chroot.Length ? "/" : serverPath[Chroot.Length..];
    }
}
