using Microsoft.Extensions.Options;
using OrleansFs.Client;
using OrleansFs.Errors;
using OrleansFs.Master;
using OrleansFs.Silo.Web.Models;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Data;

/// <summary>
/// Calls the master through the client core (<see cref="IFileSystem"/> over this silo's grain factory) with a
/// bound on the wait, so a page rendered mid-failover comes back quickly and says the master is unavailable
/// instead of hanging for the full Orleans response timeout.
/// </summary>
public sealed class MasterCalls(IFileSystem fileSystem, IOptions<WebOptions> options)
{
    public async Task<T> CallAsync<T>(Func<IFileSystem, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(fileSystem, cancellationToken).WaitAsync(options.Value.GrainCallTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw FsException.Unavailable($"the master did not answer within {options.Value.GrainCallTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is not (FsException or OperationCanceledException))
        {
            // Mid-failover the call can fail in many Orleans-specific ways; to a reader they all mean the same.
            throw FsException.Unavailable($"the master cannot be reached: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The master's info, or the reason it could not be read.</summary>
    public async Task<(MasterInfo? Info, string? Error)> TryGetInfoAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await CallAsync((fs, ct) => fs.GetMasterInfoAsync(ct), cancellationToken), null);
        }
        catch (FsException e)
        {
            return (null, e.Message);
        }
    }

    public static MasterModel ToModel(MasterInfo info) =>
        new(info.SiloAddress, info.Epoch, info.ActiveSince, info.RecoveryDuration.TotalMilliseconds);
}
