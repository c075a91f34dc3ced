using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Web.Support;

/// <summary>Where a silo's web interface and dashboard answer, as a browser would type them.</summary>
public static class SiloUrls
{
    public static string WebUrl(this SiloProcess silo) => $"http://127.0.0.1:{silo.WebPort}";

    public static string DashboardUrl(this SiloProcess silo) => $"http://127.0.0.1:{silo.DashboardPort}";
}
