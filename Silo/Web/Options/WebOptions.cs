namespace OrleansFs.Silo.Web.Options;

/// <summary>The `Web` section: the web interface's port (the host binds it) and what the pages show.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    public int Port { get; set; } = 19999;

    /// <summary>How many bytes of a file the file page previews.</summary>
    public int PreviewBytes { get; set; } = 1024;

    /// <summary>
    /// Files the In-Memory page scans per request, so a huge namespace cannot stall the page; a "next" link scans on
    /// from there.
    /// </summary>
    public int MaxListedFiles { get; set; } = 1000;

    /// <summary>Entries per Browse page (1 to 10,000); a "next" link shows the following ones.</summary>
    public int BrowsePageSize { get; set; } = OrleansFs.Files.ListingRequest.DefaultLimit;

    /// <summary>How long a page waits for a grain (the master mid-failover) before it renders without it.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
