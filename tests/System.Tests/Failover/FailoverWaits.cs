using OrleansFs.Client;
using OrleansFs.Master;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Failover;

/// <summary>The waits the failover and host-fault tests share: a new master, a silo leaving or rejoining membership.</summary>
internal static class FailoverWaits
{
    public static async Task<MasterInfo> ForNewMasterAsync(IFileSystem fs, MasterInfo before)
    {
        MasterInfo info = before;
        await UntilAsync(async () => (info = await fs.GetMasterInfoAsync()).Epoch > before.Epoch, TimeSpan.FromSeconds(60),
            $"the master stayed at epoch {before.Epoch}");
        return info;
    }

    /// <summary>The resumed silo learns it was declared dead: it exits, or at least is no longer Active.</summary>
    public static async Task NotActiveAsync(IFileSystem fs, SiloProcess silo)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (silo.IsRunning && DateTime.UtcNow < deadline) await Task.Delay(250);
        var members = await fs.GetClusterMembersAsync();
        Assert.DoesNotContain(members, m => m.Address == silo.SiloAddress && m.Status == "Active");
    }

    public static Task ActiveAsync(IFileSystem fs, string siloAddress) =>
        UntilAsync(async () => (await fs.GetClusterMembersAsync()).Any(m => m.Address == siloAddress && m.Status == "Active"),
            TimeSpan.FromSeconds(60), $"{siloAddress} did not rejoin");

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan budget, string failure)
    {
        var deadline = DateTime.UtcNow + budget;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(failure);
            await Task.Delay(200);
        }
    }
}
