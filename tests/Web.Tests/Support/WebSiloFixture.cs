using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Web.Support;

/// <summary>
/// The silo most web tests share, started as a real process. It is given two secrets (a connection string
/// and a token-named key) so the Configuration tests can check they never reach a page.
/// </summary>
public sealed class WebSiloFixture : IAsyncLifetime
{
    /// <summary>The embedded default, which `ofs` also assumes.</summary>
    public const string ClusterId = "ofs";
    public const string SecretPassword = "hunter2-do-not-show";
    public const string SecretToken = "tok-3f9a-do-not-show";

    public SiloProcess Silo { get; private set; } = default!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public FsClient Client { get; private set; } = default!;
    public OfsRunner Ofs => new(Silo.Gateway);

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync(
        [
            $"--PostgreSql:ConnectionString=Host=db.invalid;Username=ofs;Password={SecretPassword}",
            $"--UnderStorage:ApiToken={SecretToken}",
        ]);
        Http.BaseAddress = new Uri(Silo.WebUrl());
        Client = await FsClient.ConnectAsync(Silo.GatewayPort, ClusterId);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (Client is not null) await Client.DisposeAsync();
        if (Silo is not null) await Silo.DisposeAsync();
    }
}
