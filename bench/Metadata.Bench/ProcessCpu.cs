namespace OrleansFs.Bench;

/// <summary>
/// CPU time (user + system) the client (this process) and the silo have used so far, from /proc/PID/stat. The
/// difference over a case divided by its operations is the CPU each operation costs, which a loaded machine
/// disturbs far less than throughput.
/// </summary>
internal readonly record struct ProcessCpu(TimeSpan Client, TimeSpan Silo)
{
    // USER_HZ, which Linux fixes at 100 for /proc.
    private const double TicksPerSecond = 100;

    public static ProcessCpu Read(int siloPid) => new(Of(Environment.ProcessId), siloPid == 0 ? TimeSpan.Zero : Of(siloPid));

    public static ProcessCpu operator -(ProcessCpu after, ProcessCpu before) => new(after.Client - before.Client, after.Silo - before.Silo);

    /// <summary>"client µs/op, silo µs/op" for <paramref name="operations"/> operations.</summary>
    public string PerOperation(long operations) => operations == 0 ? "" :
        $"{Client.TotalMicroseconds / operations,8:0.0} {Silo.TotalMicroseconds / operations,8:0.0}";

    private static TimeSpan Of(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name may hold spaces: fields are counted after its closing parenthesis (utime, stime are 14, 15).
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond);
    }
}
