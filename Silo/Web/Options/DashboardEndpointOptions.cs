namespace OrleansFs.Silo.Web.Options;

/// <summary>
/// The `Dashboard` section: where the Orleans dashboard listens. It shows grain state, so it binds to
/// loopback unless an access token is configured.
/// </summary>
public sealed class DashboardEndpointOptions
{
    public const string Section = "Dashboard";

    public int Port { get; set; } = 8080;

    /// <summary>The address the dashboard endpoint binds to; anything but loopback needs <see cref="AccessToken"/>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Required when <see cref="Host"/> is not loopback; sent as a bearer token, a cookie or `?token=`.</summary>
    public string? AccessToken { get; set; }

    public bool Enabled { get; set; } = true;
}
