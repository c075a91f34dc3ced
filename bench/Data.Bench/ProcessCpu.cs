namespace OrleansFs.Bench;

/// <summary>
/// CPU time a process has used (user plus system, from /proc/PID/stat), so a measurement can be judged by CPU per
/// byte as well as by throughput: on a shared machine the load moves throughput far more than CPU per byte.
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    /// <summary>Seconds of CPU used so far by <paramref name="pid"/>; 0 when it cannot be read.</summary>
    public static double Seconds(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th of them.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
