using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Fixtures;
using OrleansFs.ZooKeeper;

namespace OrleansFs.Tests.Security;

/// <summary>
/// What <c>AddOrleansFs</c> makes of `Security:Enabled` for ZooKeeper: the journal epochs are kept in ZooKeeper over
/// its secure port with the silo's certificates, and `ZooKeeper:Tls:Enabled=false` goes back to plain text.
/// </summary>
public sealed class ZooKeeperTlsWiringTests(TlsZooKeeperFixture zk) : IClassFixture<TlsZooKeeperFixture>, IDisposable
{
    private readonly TempDirectory _journal = new("ofs-tls-journal");

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task With_Security_enabled_the_journal_epochs_live_in_ZooKeeper_over_TLS()
    {
        await using var services = Build(zk.SecureConnectionString, tlsSetting: null);
        var epochs = services.GetRequiredService<ZooKeeperEpochStore>();

        long first = await epochs.TakeNextAsync(CancellationToken.None);
        long second = await epochs.TakeNextAsync(CancellationToken.None);

        Assert.Equal(first + 1, second);
        await using var admin = await zk.ConnectAsync();
        Assert.NotNull(await admin.ExistsAsync($"/ofs-journal/{ClusterId}"));
    }

    [Fact]
    public async Task ZooKeeper_TLS_turned_off_alone_speaks_plain_text_which_the_secure_port_refuses()
    {
        await using var services = Build(zk.SecureConnectionString, tlsSetting: "false");
        var security = services.GetRequiredService<IOptions<OrleansFs.Security.SecurityOptions>>().Value;
        Assert.False(services.GetRequiredService<IOptions<ZooKeeperOptions>>().Value.UsesTls(security));
        var epochs = services.GetRequiredService<ZooKeeperEpochStore>();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => epochs.TakeNextAsync(timeout.Token));
        Assert.IsNotType<ZooKeeperTlsException>(error);
    }

    private string ClusterId { get; } = "tls-" + Guid.NewGuid().ToString("N")[..8];

    private ServiceProvider Build(string zooKeeper, string? tlsSetting)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Id"] = ClusterId,
            ["Cluster:Membership"] = "ZooKeeper",
            ["ZooKeeper:ConnectionString"] = zooKeeper,
            ["Journal:Directory"] = _journal.Path,
            ["Security:Enabled"] = "true",
            ["Security:CertificatePath"] = zk.Certificates.ServerCertificatePath,
            ["Security:KeyPath"] = zk.Certificates.ServerKeyPath,
            ["Security:CaPath"] = zk.Certificates.CaPath,
        };
        if (tlsSetting is not null) settings["ZooKeeper:Tls:Enabled"] = tlsSetting;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        new Silo(services).AddOrleansFs(configuration);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    private sealed class Silo(IServiceCollection services) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;
        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
