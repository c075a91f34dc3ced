using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansFs.Client;
using OrleansFs.Client.Hosting;
using Xunit;

namespace OrleansFs.Tests.Client;

public class OrleansFsClientOptionsValidatorTests
{
    /// <summary>The validator's message for the default options with <paramref name="change"/> applied; null when valid.</summary>
    internal static string? Failure(Action<OrleansFsClientOptions> change)
    {
        var options = new OrleansFsClientOptions();
        change(options);
        var result = new OrleansFsClientOptionsValidator().Validate(null, options);
        return result.Failed ? result.FailureMessage : null;
    }

    [Fact]
    public void The_defaults_and_the_cli_settings_are_valid()
    {
        Assert.Null(Failure(_ => { }));
        Assert.Null(Failure(o => { o.AttemptTimeout = TimeSpan.FromSeconds(15); o.Gateways = ["10.0.0.1:30000", "silo-2:30001"]; }));
        Assert.Null(Failure(o => o.ZooKeeperConnectionString = "zk1:2181,zk2:2181/ofs"));
    }

    [Theory]
    [InlineData("silo", "gateway 'silo' is not host:port (Gateways)")]
    [InlineData("silo:0", "gateway 'silo:0' is not host:port (Gateways)")]
    [InlineData("silo:http", "gateway 'silo:http' is not host:port (Gateways)")]
    public void A_malformed_gateway_is_named(string gateway, string message) =>
        Assert.Equal(message, Failure(o => o.Gateways = [gateway]));

    [Fact]
    public void A_malformed_zookeeper_connection_string_is_named()
    {
        Assert.StartsWith("ZooKeeperConnectionString 'zk1:2181,zk2' is not host:port", Failure(o => o.ZooKeeperConnectionString = "zk1:2181,zk2"));
        Assert.StartsWith("ZooKeeperConnectionString 'zk1:2181/' is not", Failure(o => o.ZooKeeperConnectionString = "zk1:2181/"));
    }

    [Fact]
    public void A_postgres_connection_string_is_checked_without_echoing_it()
    {
        Assert.Null(Failure(o => o.PostgreSqlConnectionString = "Host=db;Database=ofs;Username=ofs;Password=s3cret"));
        string? noHost = Failure(o => o.PostgreSqlConnectionString = "Database=ofs;Password=s3cret");
        string? unparsable = Failure(o => o.PostgreSqlConnectionString = "Host=db;Password=s3cret;Bogus Key=1");

        Assert.Equal("PostgreSqlConnectionString cannot be used: it names no Host", noHost);
        Assert.StartsWith("PostgreSqlConnectionString cannot be used: ", unparsable);
        Assert.DoesNotContain("s3cret", unparsable);
        Assert.Equal("give ZooKeeperConnectionString or PostgreSqlConnectionString, not both",
            Failure(o => { o.ZooKeeperConnectionString = "zk1:2181"; o.PostgreSqlConnectionString = "Host=db"; }));
    }

    [Fact]
    public void Timeouts_must_be_positive_and_fit_inside_the_call()
    {
        Assert.Equal("CallTimeout must be positive, not 00:00:00", Failure(o => { o.CallTimeout = TimeSpan.Zero; o.AttemptTimeout = TimeSpan.Zero; o.MaxRetryDelay = TimeSpan.Zero; o.InitialRetryDelay = TimeSpan.Zero; }).Split("; ")[0]);
        Assert.Equal("ResponseTimeout must be positive, not -00:00:01", Failure(o => o.ResponseTimeout = TimeSpan.FromSeconds(-1)));
        Assert.Equal("AttemptTimeout (00:00:40) must not be longer than CallTimeout (00:00:30)", Failure(o => o.AttemptTimeout = TimeSpan.FromSeconds(40)));
        Assert.Equal("InitialRetryDelay must be positive, not 00:00:00", Failure(o => o.InitialRetryDelay = TimeSpan.Zero));
        Assert.Equal("MaxRetryDelay (00:00:00.0100000) must not be shorter than InitialRetryDelay (00:00:00.0500000)",
            Failure(o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(10)));
        Assert.Equal("ClusterId must not be empty", Failure(o => o.ClusterId = " "));
    }

    [Fact]
    public async Task ConnectAsync_refuses_bad_options_before_trying_to_connect()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { AttemptTimeout = TimeSpan.FromMinutes(5) }));
        Assert.Equal("AttemptTimeout (00:05:00) must not be longer than CallTimeout (00:00:30)", e.Message);
    }

    [Fact]
    public async Task A_host_with_bad_client_options_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddOrleansFsClient(o => o.Gateways = ["no-port"]);
        using var host = builder.Build();
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("gateway 'no-port' is not host:port (Gateways)", e.Message);
    }
}
