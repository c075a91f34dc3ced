namespace OrleansFs.Silo.Web.Options;

/// <summary>The `Web` section: the web interface's port (the host binds it) and what the pages show.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    public int Port { get; set; } = 19999;

    /// <summary>How many bytes of a file the file page previews.</summary>
    public int PreviewBytes { get; set; } = 1024;

    /// <summary>Upper bound on files the In-Memory page lists, so a huge namespace cannot stall the page.</summary>
    public int MaxListedFiles { get; set; } = 1000;

    /// <summary>How long a page waits for a grain (the master mid-failover) before it renders without it.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
