namespace OrleansFs.Silo.Configuration;

/// <summary>The `Web` section: the web interface and health endpoints.</summary>
public sealed class WebSettings
{
    public const string Section = "Web";

    public int Port { get; set; } = 19999;
}
