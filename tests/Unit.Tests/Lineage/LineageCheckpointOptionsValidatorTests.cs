using OrleansFs.Grains.Lineage.Checkpoint;

namespace OrleansFs.Tests.Lineage;

public sealed class LineageCheckpointOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new LineageCheckpointOptionsValidator().Validate(null, new LineageCheckpointOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Interval", "Lineage:Checkpoint:Interval")]
    [InlineData("MaxChainRecomputeTime", "Lineage:Checkpoint:MaxChainRecomputeTime")]
    [InlineData("MaxPersistsPerPass", "Lineage:Checkpoint:MaxPersistsPerPass")]
    [InlineData("AssumedRunTime", "Lineage:Checkpoint:AssumedRunTime")]
    public void A_setting_that_cannot_work_is_refused_naming_its_key(string property, string key)
    {
        var options = new LineageCheckpointOptions();
        switch (property)
        {
            case "Interval": options.Interval = TimeSpan.Zero; break;
            case "MaxChainRecomputeTime": options.MaxChainRecomputeTime = TimeSpan.FromSeconds(-1); break;
            case "MaxPersistsPerPass": options.MaxPersistsPerPass = 0; break;
            case "AssumedRunTime": options.AssumedRunTime = TimeSpan.FromSeconds(-1); break;
        }

        var result = new LineageCheckpointOptionsValidator().Validate(null, options);

        Assert.False(result.Succeeded);
        Assert.StartsWith(key + " ", result.FailureMessage);
    }
}
