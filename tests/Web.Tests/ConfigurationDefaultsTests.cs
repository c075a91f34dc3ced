using System.Text.Json;
using OrleansFs.Tests.Web.Support;

namespace OrleansFs.Tests.Web;

/// <summary>`/api/v1/config` lists every setting of the options classes the silo runs with, set or not.</summary>
[Collection(WebCollection.Name)]
public sealed class ConfigurationDefaultsTests(WebSiloFixture fixture)
{
    [Fact]
    public async Task Settings_no_provider_sets_show_the_options_default_from_default()
    {
        string body = await fixture.Http.GetStringAsync("/api/v1/config");
        var settings = JsonDocument.Parse(body).RootElement.GetProperty("settings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("key").GetString()!);

        var window = settings["Master:RetryCacheWindow"];
        Assert.Equal("00:10:00", window.GetProperty("value").GetString());
        Assert.Equal("default", window.GetProperty("source").GetString());
        Assert.Equal("2", settings["Failover:NumMissedProbesLimit"].GetProperty("value").GetString());
        Assert.True(settings.ContainsKey("Worker:DataIdleTimeout"), "every Worker setting is listed");
        // A key the fixture sets is still shown as written, from where it was set.
        Assert.Equal("CommandLine", settings["Web:Port"].GetProperty("source").GetString());
    }
}
