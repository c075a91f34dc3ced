namespace OrleansFs.Silo.Configuration;

/// <summary>The `Dashboard` section: where the Orleans dashboard is served (wired by the web interface).</summary>
public sealed class DashboardSettings
{
    public const string Section = "Dashboard";

    public int Port { get; set; } = 8080;
}
