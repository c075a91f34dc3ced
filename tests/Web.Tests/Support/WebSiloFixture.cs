namespace OrleansFs.Tests.Web.Support;

/// <summary>
/// The silo most web tests share. It is configured with two secrets (a connection string and a token-named
/// key) through the environment, so the Configuration tests can check they never reach a page.
/// </summary>
public sealed class WebSiloFixture : IAsyncLifetime
{
    public const string ClusterId = "ofs-web-test";
    public const string SecretPassword = "hunter2-do-not-show";
    public const string SecretToken = "tok-3f9a-do-not-show";

    public WebSilo Silo { get; private set; } = default!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        Silo = WebSilo.Start(
            [$"--Cluster:Id={ClusterId}", $"--Cluster:ServiceId={ClusterId}"],
            new Dictionary<string, string>
            {
                ["OFS_AdoNet__ConnectionString"] = $"Host=db.invalid;Username=ofs;Password={SecretPassword}",
                ["OFS_UnderStorage__ApiToken"] = SecretToken,
            });
        await Silo.WaitForWebAsync(TimeSpan.FromSeconds(90));
        Http.BaseAddress = new Uri(Silo.WebUrl);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Silo.DisposeAsync();
    }
}
