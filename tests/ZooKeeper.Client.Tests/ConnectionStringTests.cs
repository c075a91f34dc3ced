using OrleansFs.ZooKeeper;

namespace OrleansFs.Tests;

public sealed class ConnectionStringTests
{
    [Fact]
    public void Several_hosts_with_a_chroot_after_the_last()
    {
        var parsed = ZooKeeperConnectionString.Parse("zk1:2181,zk2:2182,zk3/ofs/cluster");

        Assert.Equal([new("zk1", 2181), new("zk2", 2182), new ZooKeeperEndpoint("zk3", 2181)], parsed.Hosts);
        Assert.Equal("/ofs/cluster", parsed.Chroot);
        Assert.Null(parsed.WithoutChroot().Chroot);
    }

    [Fact]
    public void Ipv6_hosts_are_bracketed_and_a_lone_slash_is_no_chroot()
    {
        var parsed = ZooKeeperConnectionString.Parse("[::1]:2191,[fe80::1],127.0.0.1:2192/");

        Assert.Equal([new("::1", 2191), new("fe80::1", 2181), new ZooKeeperEndpoint("127.0.0.1", 2192)], parsed.Hosts);
        Assert.Null(parsed.Chroot);
        Assert.Equal("[::1]:2191,[fe80::1]:2181,127.0.0.1:2192", parsed.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a:1,,b:2", "empty")]
    [InlineData("host:notaport", "not a port")]
    [InlineData("host:70000", "not a port")]
    [InlineData("::1:2181", "[address]:port")]
    [InlineData("[::1:2181", "closing ']'")]
    [InlineData("host:2181/bad/", "chroot")]
    [InlineData(":2181", "no host")]
    public void Malformed_strings_are_rejected_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ZooKeeperConnectionString.Parse(text));

        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("/a/b", false, null)]
    [InlineData("/", false, null)]
    [InlineData("/queue/", true, null)]
    [InlineData("/a/b/", false, "must not end with '/'")]
    [InlineData("a", false, "must start with '/'")]
    [InlineData("/a/../b", false, "relative segment")]
    [InlineData("/a\uD800", false, "invalid character")]
    public void Path_rules_follow_the_java_client(string path, bool sequential, string? problem)
    {
        var found = ZooKeeperPath.FindProblem(path, sequential);

        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }
}
