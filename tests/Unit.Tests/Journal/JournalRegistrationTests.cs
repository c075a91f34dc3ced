using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Journal.PostgreSql;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Journal;

public class JournalRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddOrleansFsJournal(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task The_configured_directory_journal_is_what_the_factory_creates()
    {
        using var temp = new TempDirectory();
        using var services = Build(new() { ["Journal:Kind"] = "Directory", ["Journal:Directory"] = temp.Path });

        await using var journal = services.GetRequiredService<IJournalFactory>().Create();
        await journal.RecoverAsync((_, _) => Task.CompletedTask, _ => { }, CancellationToken.None);

        Assert.IsType<DirectoryJournal>(journal);
        Assert.Equal(temp.Path, journal.Stats.Location);
        Assert.True(Directory.Exists(Path.Combine(temp.Path, "epochs")));
    }

    [Fact]
    public void AdoNet_is_refused_pointing_to_the_PostgreSQL_kind()
    {
        using var services = Build(new() { ["Journal:Kind"] = "AdoNet" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<JournalOptions>>().Value);
        Assert.Contains("Journal:Kind=AdoNet", error.Message);
        Assert.Contains("Journal:Kind=PostgreSql with PostgreSql:ConnectionString", error.Message);
    }

    [Fact]
    public void The_PostgreSQL_kind_selects_the_PostgreSQL_factory()
    {
        using var services = Build(new()
        {
            ["Journal:Kind"] = "PostgreSql",
            ["PostgreSql:ConnectionString"] = "Host=db.example;Database=ofs;Username=ofs",
        });

        Assert.IsType<PostgreSqlJournalFactory>(services.GetRequiredService<IJournalFactory>());
    }

    [Fact]
    public void The_PostgreSQL_kind_without_a_connection_string_is_refused_naming_the_key()
    {
        using var services = Build(new() { ["Journal:Kind"] = "PostgreSql" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PostgreSqlOptions>>().Value);
        Assert.Contains("PostgreSql:ConnectionString must be set", error.Message);
    }

    [Fact]
    public void An_unknown_kind_is_refused_naming_it()
    {
        using var services = Build(new() { ["Journal:Kind"] = "Floppy" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<JournalOptions>>().Value);
        Assert.Contains("Journal:Kind=Floppy", error.Message);
    }
}
