namespace OrleansFs.Blocks;

/// <summary>
/// Identifies this machine (host name plus kernel boot id), so a client can tell whether a worker's block
/// files are on its own tmpfs and may be read directly.
/// </summary>
public static class HostIdentity
{
    public static string Current { get; } = Compute();

    private static string Compute()
    {
        const string bootId = "/proc/sys/kernel/random/boot_id";
        string boot = File.Exists(bootId) ? File.ReadAllText(bootId).Trim() : "";
        return $"{Environment.MachineName}/{boot}";
    }
}
