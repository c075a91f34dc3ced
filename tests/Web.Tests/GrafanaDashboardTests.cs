using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansFs.Client.Streams;
using OrleansFs.Files;
using OrleansFs.TestSupport;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>
/// deploy/grafana/orleansfs.json asks only for metrics a silo exports: every metric name in its PromQL
/// expressions is on a live silo's /metrics, and promtool parses every expression.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class GrafanaDashboardTests(WebSiloFixture fixture)
{
    private static readonly string DashboardPath = Path.Combine(OfsBuildOutputs.RepositoryRoot, "deploy", "grafana", "orleansfs.json");

    [Fact]
    public void The_metric_name_reader_keeps_metric_names_and_drops_functions_labels_ranges_and_keywords()
    {
        var names = MetricNamesIn(
            "histogram_quantile(0.99, sum by (le, instance) (rate(ofs_journal_flush_duration_seconds_bucket{instance=~\"$instance\", cause!=\"a b\"}[$__rate_interval]))) " +
            "/ ignoring(tier) sum without (via) (orleans_grains offset 5m) > bool 0 and on(instance) up_down_total");
        Assert.Equal(["ofs_journal_flush_duration_seconds_bucket", "orleans_grains", "up_down_total"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_on_a_live_silos_metrics()
    {
        var expressions = DashboardExpressions();
        var names = expressions.SelectMany(MetricNamesIn).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(names.Count >= 10, $"only {names.Count} metric names read from the dashboard: {string.Join(", ", names)}");
        foreach (string family in new[] { "ofs_operations_total", "ofs_read_bytes_total", "ofs_written_bytes_total", "ofs_master_takeovers_total", "ofs_tier_capacity_bytes" })
            Assert.Contains(family, names);
        Assert.Contains(names, n => n.StartsWith("ofs_journal_flush_duration_seconds", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("orleans_", StringComparison.Ordinal));

        // Traffic of every kind the dashboard draws, so each series has been recorded at least once.
        string path = $"/grafana-{Guid.NewGuid():N}";
        await fixture.Client.WriteFileAsync(path, new byte[100_000], new CreateFileOptions { WriteType = WriteType.MustCache }, shortCircuit: false);
        await fixture.Client.ReadFileAsync(path, new OpenFileOptions { ShortCircuit = false });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        HashSet<string> exported;
        List<string> missing;
        do
        {
            exported = ExportedNames(await fixture.Http.GetStringAsync("/metrics"));
            missing = names.Where(n => !exported.Contains(n)).ToList();
            if (missing.Count > 0) await Task.Delay(500);
        }
        while (missing.Count > 0 && DateTime.UtcNow < deadline);
        Assert.True(missing.Count == 0, $"the dashboard queries metrics /metrics does not export: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Promtool_parses_every_expression_of_the_dashboard()
    {
        string promtool = FindOnPath("promtool")
            ?? throw new InvalidOperationException("promtool is not installed (Debian package `prometheus`; ./test.sh installs it)");
        using var dir = new TempDirectory("ofs-grafana-rules");
        // Grafana's variables take values Prometheus would see.
        var rules = DashboardExpressions().Select((e, i) =>
            $"      - record: grafana:expression_{i}\n        expr: {JsonSerializer.Serialize(e.Replace("$__rate_interval", "1m").Replace("$instance", ".*"))}");
        string file = dir.Combine("rules.yml");
        await File.WriteAllTextAsync(file, "groups:\n  - name: orleansfs_dashboard\n    rules:\n" + string.Join("\n", rules) + "\n");

        var start = new ProcessStartInfo(promtool, ["check", "rules", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new Win32Exception($"could not start {promtool}");
        var result = await ChildProcess.RunToEndAsync(process, TimeSpan.FromSeconds(60), "promtool check rules");
        Assert.True(result.ExitCode == 0, $"promtool check rules: {result}");
    }

    /// <summary>Every panel target's `expr` and every templating query of the dashboard.</summary>
    private static List<string> DashboardExpressions()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var expressions = new List<string>();
        void Walk(JsonElement panels)
        {
            foreach (var panel in panels.EnumerateArray())
            {
                if (panel.TryGetProperty("targets", out var targets))
                    expressions.AddRange(targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString()!));
                if (panel.TryGetProperty("panels", out var nested)) Walk(nested);
            }
        }
        Walk(doc.RootElement.GetProperty("panels"));
        foreach (var variable in doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() != "query") continue;
            string query = variable.GetProperty("query").GetProperty("query").GetString()!;
            // label_values(METRIC, LABEL): only the metric is a series selector.
            var labelValues = LabelValues().Match(query);
            expressions.Add(labelValues.Success ? labelValues.Groups["metric"].Value : query);
        }
        Assert.NotEmpty(expressions);
        return expressions;
    }

    /// <summary>The metric names of a PromQL expression: identifiers that are not functions, labels, ranges or keywords.</summary>
    internal static IEnumerable<string> MetricNamesIn(string expression)
    {
        string s = QuotedString().Replace(expression, "\"\"");
        s = LabelMatchers().Replace(s, " ");
        s = Ranges().Replace(s, " ");
        s = Grouping().Replace(s, " ");
        s = Offset().Replace(s, " ");
        return Identifier().Matches(s).Select(m => m.Value).Where(n => !Keywords.Contains(n)).Distinct();
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "inf", "nan"];

    /// <summary>The family names of a scrape: every sample's metric name (histograms give _bucket, _sum and _count).</summary>
    private static HashSet<string> ExportedNames(string scrape) =>
        SampleName().Matches(scrape).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\boffset\s+-?\w+")]
    private static partial Regex Offset();

    [GeneratedRegex(@"(?<![\w:.$])(?>[a-zA-Z_:][a-zA-Z0-9_:]*)(?!\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^label_values\(\s*(?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*,")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ", RegexOptions.Multiline)]
    private static partial Regex SampleName();
}
