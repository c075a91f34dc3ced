using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace OrleansFs.Grains.Failover.Handoff;

/// <summary>
/// The master registers in Orleans' distributed grain directory, not the default one. The default directory
/// deactivates every activation whose registration the leaving silo held when that silo starts shutting
/// down. Whenever the master's old silo owned that registration, a graceful hand-off activated the master
/// twice (the moved activation was deactivated a moment later and the next call took another epoch), and a
/// graceful stop of any other silo that owned it restarted the master in place, with a new epoch. The
/// distributed directory hands a leaving silo's registrations over to the next owner instead.
/// </summary>
public static class MasterDirectory
{
    public const string Name = "ofs-master";

    public static void AddTo(ISiloBuilder silo)
    {
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10; the only directory that survives its owner's graceful stop
        silo.AddDistributedGrainDirectory(Name);
#pragma warning restore ORLEANSEXP003
        // Its range leases would hold a crashed master's registration for up to 30 s; the journal's epochs
        // already fence a master that was declared dead (issue 5's SIGSTOP test), so the new master may register at once.
        silo.Services.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = TimeSpan.Zero);
    }
}
