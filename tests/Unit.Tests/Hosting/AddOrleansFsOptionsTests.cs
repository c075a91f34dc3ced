using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Failover;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;

namespace OrleansFs.Unit.Tests.Hosting;

/// <summary>What <c>AddOrleansFs</c> does with its settings: sections bound, code delegates applied after them, every section checked at start.</summary>
public class AddOrleansFsOptionsTests
{
    private sealed class Silo(IServiceCollection services) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;
        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<OrleansFsOptionsBuilder>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        new Silo(services).AddOrleansFs(configuration, configure ?? (_ => { }));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_options_delegate_overrides_the_bound_section()
    {
        using var services = Build(
            new() { ["Journal:Directory"] = "/from/configuration", ["Master:TtlCheckPeriod"] = "00:00:07" },
            fs => fs.Journal(o => o.Directory = "/from/code").Failover(o => o.NumMissedProbesLimit = 5));

        Assert.Equal("/from/code", services.GetRequiredService<IOptions<JournalOptions>>().Value.Directory);
        Assert.Equal(TimeSpan.FromSeconds(7), services.GetRequiredService<IOptions<MasterOptions>>().Value.TtlCheckPeriod);
        Assert.Equal(5, services.GetRequiredService<IOptions<FailoverOptions>>().Value.NumMissedProbesLimit);
    }

    [Fact]
    public void The_delegate_only_overload_starts_from_the_defaults()
    {
        var services = new ServiceCollection().AddLogging();
        new Silo(services).AddOrleansFs(fs => fs.Master(o => o.WarmStandby = false));
        using var provider = services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<MasterOptions>>().Value.WarmStandby);
        Assert.Equal(new JournalOptions().Directory, provider.GetRequiredService<IOptions<JournalOptions>>().Value.Directory);
    }

    [Fact]
    public void A_value_set_in_code_is_validated_like_one_from_configuration()
    {
        using var services = Build([], fs => fs.Failover(o => o.NumVotesForDeathDeclaration = 0));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Failover:NumVotesForDeathDeclaration 0 must be at least 1", error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_a_validation_failure_naming_its_key()
    {
        using var services = Build(new() { ["Master:RetryCacheMaxEntries"] = "many" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.StartsWith("Master:RetryCacheMaxEntries: ", Assert.Single(error.Failures));
    }

    [Fact]
    public void Bad_values_in_several_sections_are_all_reported_at_start()
    {
        using var services = Build(new() { ["Journal:Kind"] = "Floppy", ["Worker:MemoryBytes"] = "-1", ["Cluster:Membership"] = "AdoNet" });

        var error = Assert.Throws<AggregateException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        var failures = error.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.Contains(failures, f => f.StartsWith("Journal:Kind=Floppy", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Worker:MemoryBytes -1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Cluster:Membership=AdoNet is not a membership kind; for the membership table in PostgreSQL use Cluster:Membership=PostgreSql", StringComparison.Ordinal));
    }

    [Fact]
    public void PostgreSql_membership_needs_the_connection_string_and_the_directory_journal_does_not()
    {
        using var withMembership = Build(new() { ["Cluster:Membership"] = "PostgreSql" });
        using var withoutIt = Build(new() { ["Cluster:Membership"] = "Localhost" });
        using var withIt = Build(new() { ["Cluster:Membership"] = "postgresql", ["PostgreSql:ConnectionString"] = "Host=db;Database=ofs" });

        var error = Assert.Throws<OptionsValidationException>(() => withMembership.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal("PostgreSql:ConnectionString must be set for Cluster:Membership=PostgreSql (e.g. Host=db;Database=ofs;Username=ofs;Password=...)",
            Assert.Single(error.Failures));
        withoutIt.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(MembershipKind.PostgreSql, withIt.GetRequiredService<IOptions<OrleansFsClusterOptions>>().Value.ParsedMembership);
        withIt.GetRequiredService<IStartupValidator>().Validate();
    }
}
