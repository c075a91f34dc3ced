namespace OrleansFs.Silo.Configuration;

/// <summary>The port checks the `Silo`, `Web` and `Dashboard` validators share: every endpoint needs a port of its own.</summary>
public static class TcpPort
{
    public static bool IsValid(int port) => port is >= 1 and <= 65535;

    public static string NotAPort(string key, int port) => $"{key} {port} is not a TCP port (1-65535)";

    /// <summary>The line naming both keys when <paramref name="candidate"/> takes a port already in <paramref name="taken"/>.</summary>
    public static string? Clash(IEnumerable<(string Key, int Port)> taken, (string Key, int Port) candidate)
    {
        foreach (var (key, port) in taken)
        {
            if (port == candidate.Port) return $"{key} and {candidate.Key} are both {port}";
        }
        return null;
    }
}
