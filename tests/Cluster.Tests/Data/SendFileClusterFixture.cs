namespace OrleansFs.Tests.Data;

/// <summary>The data cluster with sendfile for trusted blocks turned on (<c>Worker:DataSendFile</c>).</summary>
public sealed class SendFileClusterFixture : DataClusterFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Worker:DataSendFile"] = "true";
}
