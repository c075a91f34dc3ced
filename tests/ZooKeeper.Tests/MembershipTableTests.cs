using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using OrleansFs.Clustering.ZooKeeper;
using OrleansFs.ZooKeeper;
using OrleansFs.Tests.Fixtures;

namespace OrleansFs.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class MembershipTableTests(StandaloneZooKeeperFixture zk) : IAsyncLifetime
{
    private readonly List<ZooKeeperMembershipTable> _tables = [];
    private readonly string _chroot = $"/orleans-{Guid.NewGuid():N}/deep";
    private const string ClusterId = "cluster";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var table in _tables) await table.DisposeAsync();
    }

    [Fact]
    public async Task Initialize_creates_the_missing_chroot_and_the_cluster_node_at_version_zero_once()
    {
        var table = await NewTableAsync();
        await table.InitializeMembershipTable(true);

        var empty = await table.ReadAll();

        Assert.NotNull(await zk.Admin.ExistsAsync(_chroot + "/" + ClusterId));
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);
        Assert.Equal("0", empty.Version.VersionEtag);
    }

    [Fact]
    public async Task Insert_stores_every_field_and_moves_the_table_version_by_one()
    {
        var table = await NewTableAsync();
        var entry = Entry(1, SiloStatus.Joining);
        entry.SuspectTimes = [Tuple.Create(Silo(2), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc))];
        var before = await table.ReadAll();

        Assert.True(await table.InsertRow(entry, before.Version.Next()));
        var row = await table.ReadRow(entry.SiloAddress);

        Assert.Equal(1, row.Version.Version);
        var (read, etag) = Assert.Single(row.Members);
        Assert.Equal("0", etag);
        Assert.Equal(entry.ToFullString(), read.ToFullString());
        Assert.Equal(entry.IAmAliveTime, read.IAmAliveTime);
        Assert.Equal(entry.SuspectTimes!.Single(), read.SuspectTimes!.Single());
        var layout = await zk.Admin.GetChildrenAsync($"{_chroot}/{ClusterId}/{entry.SiloAddress.ToParsableString()}");
        Assert.Equal(["IAmAlive"], layout.Children);
    }

    [Fact]
    public async Task Insert_fails_for_an_existing_row_or_a_stale_table_version_and_changes_nothing()
    {
        var table = await NewTableAsync();
        var first = await table.ReadAll();
        Assert.True(await table.InsertRow(Entry(1), first.Version.Next()));
        var now = await table.ReadAll();

        Assert.False(await table.InsertRow(Entry(1), now.Version.Next()));   // row exists
        Assert.False(await table.InsertRow(Entry(2), first.Version.Next())); // stale version

        var after = await table.ReadAll();
        Assert.Equal(1, after.Version.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task Update_checks_both_the_table_version_and_the_row_etag()
    {
        var table = await NewTableAsync();
        Assert.True(await table.InsertRow(Entry(1), (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();
        var (entry, etag) = read.Members.Single();
        entry.Status = SiloStatus.Active;

        Assert.True(await table.UpdateRow(entry, etag, read.Version.Next()));
        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRow(entry, etag, read.Version.Next()));                                 // both stale
        var current = await table.ReadAll();
        Assert.False(await table.UpdateRow(entry, etag, current.Version.Next()));                              // stale row etag
        Assert.False(await table.UpdateRow(entry, current.Members.Single().Item2, read.Version.Next()));       // stale table version

        var final = await table.ReadAll();
        Assert.Equal(2, final.Version.Version);
        Assert.Equal("1", final.Members.Single().Item2);
        Assert.Equal(SiloStatus.Active, final.Members.Single().Item1.Status);
    }

    [Fact]
    public async Task Exactly_one_of_many_concurrent_writers_wins_each_round()
    {
        var tables = new List<ZooKeeperMembershipTable>();
        for (int i = 0; i < 6; i++) tables.Add(await NewTableAsync());
        Assert.Equal(6, tables.Select(t => t.SessionId).Distinct().Count());
        var start = await tables[0].ReadAll();

        var inserts = await Task.WhenAll(tables.Select((t, i) => t.InsertRow(Entry(10 + i), start.Version.Next())));
        var afterInsert = await tables[0].ReadAll();
        var (row, etag) = afterInsert.Members.Single();
        var updates = await Task.WhenAll(tables.Select((t, i) =>
        {
            var copy = Clone(row);
            copy.Status = i % 2 == 0 ? SiloStatus.Active : SiloStatus.ShuttingDown;
            return t.UpdateRow(copy, etag, afterInsert.Version.Next());
        }));

        Assert.Equal(1, inserts.Count(won => won));
        Assert.Equal(1, updates.Count(won => won));
        var final = await tables[0].ReadAll();
        Assert.Equal(2, final.Version.Version);
        Assert.Single(final.Members);
    }

    [Fact]
    public async Task A_heartbeat_never_invalidates_an_etag_nor_moves_the_version()
    {
        var table = await NewTableAsync();
        Assert.True(await table.InsertRow(Entry(1), (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();
        var (entry, etag) = read.Members.Single();

        var beat = Clone(entry);
        beat.IAmAliveTime = entry.IAmAliveTime.AddMinutes(3);
        await table.UpdateIAmAlive(beat);
        var afterBeat = await table.ReadRow(entry.SiloAddress);

        Assert.Equal(read.Version.Version, afterBeat.Version.Version);
        Assert.Equal(etag, afterBeat.Members.Single().Item2);
        Assert.Equal(beat.IAmAliveTime, afterBeat.Members.Single().Item1.IAmAliveTime);
        entry.Status = SiloStatus.Active;
        entry.IAmAliveTime = beat.IAmAliveTime;
        Assert.True(await table.UpdateRow(entry, etag, read.Version.Next()));
    }

    [Fact]
    public async Task A_heartbeat_for_a_missing_row_fails_with_the_path()
    {
        var table = await NewTableAsync();

        var error = await Assert.ThrowsAsync<ZooKeeperMembershipTableException>(() => table.UpdateIAmAlive(Entry(9)));

        Assert.Contains(Silo(9).ToParsableString(), error.Message);
    }

    [Fact]
    public async Task ReadRow_of_an_unknown_silo_is_empty_with_the_current_version()
    {
        var table = await NewTableAsync();
        Assert.True(await table.InsertRow(Entry(1), (await table.ReadAll()).Version.Next()));

        var row = await table.ReadRow(Silo(2));

        Assert.Empty(row.Members);
        Assert.Equal(1, row.Version.Version);
    }

    [Theory]
    [InlineData(SiloStatus.Created)]
    [InlineData(SiloStatus.Joining)]
    [InlineData(SiloStatus.ShuttingDown)]
    [InlineData(SiloStatus.Stopping)]
    [InlineData(SiloStatus.Dead)]
    public async Task Cleanup_removes_an_old_row_of_every_status_but_active_and_keeps_a_recent_one(SiloStatus status)
    {
        var table = await NewTableAsync();
        var rows = new[] { Entry(1, status, DateTime.UtcNow.AddDays(-10)), Entry(2, status, DateTime.UtcNow) };
        foreach (var row in rows) Assert.True(await table.InsertRow(row, (await table.ReadAll()).Version.Next()));

        await table.CleanupDefunctSiloEntries(DateTimeOffset.UtcNow.AddDays(-1));

        var left = Assert.Single((await table.ReadAll()).Members);
        Assert.Equal(Silo(2), left.Item1.SiloAddress);
        Assert.Null(await zk.Admin.ExistsAsync($"{_chroot}/{ClusterId}/{Silo(1).ToParsableString()}"));
    }

    [Fact]
    public async Task Cleanup_keeps_old_active_rows_and_recent_signs_of_life_and_a_second_run_changes_nothing()
    {
        var table = await NewTableAsync();
        var old = DateTime.UtcNow.AddDays(-10);
        var heartbeatOnly = Entry(3, SiloStatus.ShuttingDown, old);
        heartbeatOnly.IAmAliveTime = DateTime.UtcNow;
        var recentVote = Entry(4, SiloStatus.Joining, old);
        recentVote.SuspectTimes = [Tuple.Create(Silo(2), DateTime.UtcNow)];
        var rows = new[]
        {
            Entry(1, SiloStatus.Dead, old), Entry(2, SiloStatus.Active, old), heartbeatOnly, recentVote,
            Entry(5, SiloStatus.Stopping, old), Entry(6, SiloStatus.Created, old),
        };
        foreach (var row in rows) Assert.True(await table.InsertRow(row, (await table.ReadAll()).Version.Next()));
        var before = await table.ReadAll();

        await table.CleanupDefunctSiloEntries(DateTimeOffset.UtcNow.AddDays(-1));
        var after = await table.ReadAll();
        await table.CleanupDefunctSiloEntries(DateTimeOffset.UtcNow.AddDays(-1));
        var again = await table.ReadAll();

        Assert.Equal([Silo(2), Silo(3), Silo(4)], after.Members.Select(m => m.Item1.SiloAddress).OrderBy(s => s.Endpoint.Port));
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(after.Version, again.Version);
        Assert.Equal(after.Members.Select(m => (m.Item1.ToFullString(), m.Item2)).Order(),
            again.Members.Select(m => (m.Item1.ToFullString(), m.Item2)).Order());
    }

    [Fact]
    public async Task ReadAll_returns_every_inserted_row_with_the_etag_that_updates_it()
    {
        var table = await NewTableAsync();
        for (int n = 1; n <= 4; n++) Assert.True(await table.InsertRow(Entry(n), (await table.ReadAll()).Version.Next()));

        var all = await table.ReadAll();
        var (entry, etag) = all.Members.Single(m => m.Item1.SiloAddress.Equals(Silo(3)));
        entry.Status = SiloStatus.Active;

        Assert.Equal(4, all.Version.Version);
        Assert.Equal(Enumerable.Range(1, 4).Select(Silo), all.Members.Select(m => m.Item1.SiloAddress).OrderBy(s => s.Endpoint.Port));
        Assert.True(await table.UpdateRow(entry, etag, all.Version.Next()));
        Assert.Equal(SiloStatus.Active, Assert.Single((await table.ReadRow(Silo(3))).Members).Item1.Status);
    }

    [Fact]
    public async Task Deleting_the_table_removes_every_node()
    {
        var table = await NewTableAsync();
        Assert.True(await table.InsertRow(Entry(1), (await table.ReadAll()).Version.Next()));

        await table.DeleteMembershipTableEntries(ClusterId);

        Assert.Null(await zk.Admin.ExistsAsync($"{_chroot}/{ClusterId}"));
        var error = await Assert.ThrowsAsync<ZooKeeperMembershipTableException>(() => table.ReadAll());
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task The_table_keeps_one_session_and_builds_a_new_one_only_after_expiry()
    {
        var table = await NewTableAsync();
        long session = table.SessionId;
        for (int i = 0; i < 10; i++) await table.InsertRow(Entry(i), (await table.ReadAll()).Version.Next());
        Assert.Equal(session, table.SessionId);

        // End the session from outside, as the server does on expiry.
        var client = table.Client!;
        await using (var thief = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
               { ConnectionString = zk.ConnectionString, SessionId = client.SessionId, SessionPassword = client.SessionPassword }))
        {
            await thief.CloseAsync();
        }
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (client.State != ZooKeeperSessionState.Expired && DateTime.UtcNow < deadline) await Task.Delay(50);

        var all = await table.ReadAll();
        Assert.Equal(10, all.Members.Count);
        Assert.NotEqual(session, table.SessionId);
        Assert.NotEqual(0, table.SessionId);
    }

    [Fact]
    public void A_cluster_id_that_is_not_a_node_name_is_rejected()
    {
        var error = Assert.Throws<ZooKeeperMembershipTableException>(() =>
            new ZooKeeperMembershipTable(new ZooKeeperClusteringSiloOptions { ConnectionString = zk.ConnectionString }, "a/b", NullLogger.Instance));

        Assert.Contains("a/b", error.Message);
    }

    private async Task<ZooKeeperMembershipTable> NewTableAsync()
    {
        var table = new ZooKeeperMembershipTable(
            new ZooKeeperClusteringSiloOptions { ConnectionString = zk.ConnectionString + _chroot }, ClusterId, NullLogger.Instance);
        _tables.Add(table);
        await table.InitializeMembershipTable(true);
        return table;
    }

    private static SiloAddress Silo(int n) => SiloAddress.New(IPAddress.Loopback, 11000 + n, 100 + n);

    private static MembershipEntry Entry(int n, SiloStatus status = SiloStatus.Joining, DateTime? time = null)
    {
        var when = time ?? new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        return new MembershipEntry
        {
            SiloAddress = Silo(n),
            Status = status,
            SuspectTimes = [],
            ProxyPort = 30000 + n,
            HostName = "host" + n,
            SiloName = "silo" + n,
            RoleName = "role",
            UpdateZone = n % 3,
            FaultZone = n % 2,
            StartTime = when,
            IAmAliveTime = when,
        };
    }

    private static MembershipEntry Clone(MembershipEntry e) => new()
    {
        SiloAddress = e.SiloAddress, Status = e.Status, SuspectTimes = [.. e.SuspectTimes ?? []], ProxyPort = e.ProxyPort,
        HostName = e.HostName, SiloName = e.SiloName, RoleName = e.RoleName, UpdateZone = e.UpdateZone,
        FaultZone = e.FaultZone, StartTime = e.StartTime, IAmAliveTime = e.IAmAliveTime,
    };
}
