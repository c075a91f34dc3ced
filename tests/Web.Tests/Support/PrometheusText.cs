using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansFs.Tests.Web.Support;

/// <summary>A `/metrics` scrape, read the way Prometheus would: one sample per line, `name{labels} value`.</summary>
public sealed partial class PrometheusText(string text)
{
    public string Text { get; } = text;

    /// <summary>The sum of the samples of <paramref name="name"/> carrying every given label (0 when there are none).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels)
    {
        double sum = 0;
        foreach (Match sample in Sample().Matches(Text))
        {
            if (sample.Groups["name"].Value != name) continue;
            string found = sample.Groups["labels"].Value;
            if (labels.All(l => found.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
                sum += double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
