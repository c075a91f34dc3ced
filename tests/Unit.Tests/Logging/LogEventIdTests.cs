using System.Text.RegularExpressions;
using OrleansFs.TestSupport;

namespace OrleansFs.Unit.Tests.Logging;

/// <summary>
/// The event ids operators filter on: every [LoggerMessage] in the product names its id and level, no two share
/// an id, and each id is inside a range of the "Log event ids" table in docs/operations.md.
/// </summary>
public class LogEventIdTests
{
    private static readonly List<LoggerMessageMethod> Methods = ProductAssemblies.Paths.SelectMany(LoggerMessageCatalog.Read).ToList();

    [Fact]
    public void The_product_logs_through_LoggerMessage_in_the_silo_the_grains_and_the_ZooKeeper_code()
    {
        Assert.All(ProductAssemblies.Required, name => Assert.Contains(ProductAssemblies.Paths, p => Path.GetFileName(p) == name));
        Assert.Contains(Methods, m => m.Assembly == "OrleansFs.Grains.dll");
        Assert.Contains(Methods, m => m.Assembly == "OrleansFs.Silo.dll");
        Assert.Contains(Methods, m => m.Method.Contains(".ZooKeeperClient.", StringComparison.Ordinal));
        Assert.Contains(Methods, m => m.Method.Contains(".ZooKeeperMembershipTable.", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_LoggerMessage_names_its_event_id_and_level()
    {
        var unnamed = Methods.Where(m => m.EventId is null or <= 0 || m.Level is null).Select(m => m.Method).ToList();
        Assert.True(unnamed.Count == 0, string.Join("\n", unnamed));
    }

    [Fact]
    public void No_two_LoggerMessages_share_an_event_id()
    {
        var shared = Methods.GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}")
            .ToList();
        Assert.True(shared.Count == 0, string.Join("\n", shared));
    }

    [Fact]
    public void Every_event_id_is_in_a_range_the_operations_guide_lists()
    {
        var ranges = DocumentedRanges();
        Assert.NotEmpty(ranges);
        var outside = Methods.Where(m => !ranges.Any(r => m.EventId >= r.First && m.EventId <= r.Last))
            .Select(m => $"{m.EventId} {m.Method}")
            .ToList();
        Assert.True(outside.Count == 0, "add the range to the table in docs/operations.md or renumber:\n" + string.Join("\n", outside));
    }

    /// <summary>The "| 1000–1099 | concept | … |" rows of docs/operations.md.</summary>
    private static List<(int First, int Last)> DocumentedRanges()
    {
        string guide = File.ReadAllText(Path.Combine(OfsBuildOutputs.RepositoryRoot, "docs", "operations.md"));
        return Regex.Matches(guide, @"^\| (\d+)[–-](\d+) \|", RegexOptions.Multiline)
            .Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)))
            .ToList();
    }
}
