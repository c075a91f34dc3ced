using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFs.Grains.Blocks;
using OrleansFs.Grains.Failover;
using OrleansFs.Grains.Failover.Handoff;
using OrleansFs.Grains.Failover.Standby;
using OrleansFs.Grains.Failover.Takeover;
using OrleansFs.Grains.Hosting;
using OrleansFs.Grains.Journal;
using OrleansFs.Grains.Master;
using OrleansFs.Grains.UnderStorage;
using OrleansFs.Metrics;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Hosting;

/// <summary>
/// A silo wired by nothing but <c>AddOrleansFs</c> (the in-process cluster's fixtures call only that) has every
/// OrleansFs service the silo process has: master, journal, data, failover and metrics, and the options of each section.
/// </summary>
public sealed class AddOrleansFsTests(MasterClusterFixture fixture) : IClassFixture<MasterClusterFixture>
{
    private IServiceProvider Silo => fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress);

    [Fact]
    public void The_failover_services_are_registered()
    {
        var hosted = Silo.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.Contains(typeof(MasterStandby), hosted);
        Assert.Contains(typeof(MasterHandoff), hosted);
        Assert.Contains(typeof(HandoffRehearsal), hosted);
        Assert.Contains(typeof(EpochStoreWarmup), hosted);
        Assert.Contains(typeof(MasterWarmup), hosted);
        Assert.NotNull(Silo.GetService<PeerConnectionLog>());
        Assert.IsType<DirectoryJournalFactory>(Silo.GetRequiredService<IJournalFactory>());
        Assert.NotNull(Silo.GetService<BlockStore>());
        Assert.NotNull(Silo.GetService<IUnderStorage>());
    }

    [Fact]
    public void The_failure_detection_settings_reach_Orleans_membership()
    {
        var failover = Silo.GetRequiredService<IOptions<FailoverOptions>>().Value;
        var membership = Silo.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;

        Assert.Equal(failover.ProbeTimeout, membership.ProbeTimeout);
        Assert.Equal(failover.NumMissedProbesLimit, membership.NumMissedProbesLimit);
        Assert.Equal(failover.IAmAliveTablePublishTimeout, membership.IAmAliveTablePublishTimeout);
    }

    [Fact]
    public void Every_section_is_bound_and_has_its_validator()
    {
        AssertSection<OrleansFsClusterOptions, OrleansFsClusterOptionsValidator>();
        AssertSection<ZooKeeperOptions, ZooKeeperOptionsValidator>();
        AssertSection<JournalOptions, JournalOptionsValidator>();
        AssertSection<MasterOptions, MasterOptionsValidator>();
        AssertSection<WorkerOptions, WorkerOptionsValidator>();
        AssertSection<UnderStorageOptions, UnderStorageOptionsValidator>();
        AssertSection<FailoverOptions, FailoverOptionsValidator>();
        // Values from the fixture's configuration, so the sections are bound, not just defaulted.
        Assert.Equal(fixture.JournalDirectory, Silo.GetRequiredService<IOptions<JournalOptions>>().Value.Directory);
        Assert.Equal(TimeSpan.FromMilliseconds(200), Silo.GetRequiredService<IOptions<MasterOptions>>().Value.TtlCheckPeriod);
        Assert.Equal(64L << 20, Silo.GetRequiredService<IOptions<WorkerOptions>>().Value.MemoryBytes);
    }

    /// <summary>
    /// Metrics are part of the silo, not of its web interface: a master operation served by a silo that has only
    /// AddOrleansFs is counted on the OrleansFs meter.
    /// </summary>
    [Fact]
    public async Task Master_operations_are_counted_on_the_OrleansFs_meter()
    {
        long operations = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricNames.Meter && instrument.Name == MetricNames.Operations) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref operations, value));
        listener.Start();

        await fixture.Master.CreateDirectory($"/metrics-{Guid.NewGuid():N}", true, Guid.NewGuid());

        Assert.True(Interlocked.Read(ref operations) > 0, "no master operation was counted on the OrleansFs meter");
    }

    private void AssertSection<TOptions, TValidator>() where TOptions : class
    {
        Assert.NotNull(Silo.GetRequiredService<IOptions<TOptions>>().Value);
        Assert.Contains(Silo.GetServices<IValidateOptions<TOptions>>(), v => v is TValidator);
    }
}
