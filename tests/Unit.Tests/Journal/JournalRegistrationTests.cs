using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansFs.Grains.Journal;
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
    public void The_PostgreSQL_journal_is_refused_with_a_clear_message()
    {
        using var services = Build(new() { ["Journal:Kind"] = "AdoNet" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IJournalFactory>().Create());
        Assert.Contains("Journal:Kind=AdoNet", error.Message);
        Assert.Contains("not implemented yet", error.Message);
    }

    [Fact]
    public void An_unknown_kind_is_refused_naming_it()
    {
        using var services = Build(new() { ["Journal:Kind"] = "Floppy" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<JournalOptions>>().Value);
        Assert.Contains("Journal:Kind=Floppy", error.Message);
    }
}
