using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Grains.Hosting;

namespace OrleansFs.Unit.Tests.Failover;

/// <summary>
/// AddOrleansFs replaces only Orleans' own fatal-error handler: a test host's (Orleans' TestingHost stops the one silo
/// and keeps the test process) must survive, or a silo declared dead in an in-process cluster would end the test run.
/// </summary>
public sealed class FatalErrorHandlerRegistrationTests
{
    private sealed class Silo(IServiceCollection services) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;
        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }

    [Fact]
    public void A_test_hosts_own_fatal_error_handler_is_kept()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IFatalErrorHandler, TestHostHandler>();

        new Silo(services).AddOrleansFs(new ConfigurationBuilder().Build());

        var registered = services.Where(d => d.ServiceType == typeof(IFatalErrorHandler)).ToList();
        Assert.Equal(typeof(TestHostHandler), Assert.Single(registered).ImplementationType);
    }

    private sealed class TestHostHandler : IFatalErrorHandler
    {
        public bool IsUnexpected(Exception exception) => true;

        public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
        {
        }
    }
}
