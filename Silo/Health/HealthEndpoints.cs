using OrleansFs.Grains.Failover.Standby;
using OrleansFs.Master;

namespace OrleansFs.Silo.Health;

/// <summary>
/// `/health`: the process serves HTTP. `/health/ready`: the master has recovered and answers, so the file
/// system can be used (scripts and tests wait on this one). `/health/standby`: this silo could take the master
/// over without a full recovery (its warm standby has caught up, or it hosts the master, or standby is off).
/// </summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapOrleansFsHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", () => "ok");
        endpoints.MapGet("/health/ready", ReadyAsync);
        endpoints.MapGet("/health/standby", Standby);
        return endpoints;
    }

    private static IResult Standby(MasterStandby standby)
    {
        var body = new { status = standby.Describe(), lastSequence = standby.LastSequence };
        bool ready = !standby.IsEnabled || standby.IsHeld || standby.IsWarm;
        return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> ReadyAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        try
        {
            var info = await grains.GetGrain<IMasterGrain>(IMasterGrain.Key).GetInfo()
                .WaitAsync(ReadyTimeout, cancellationToken);
            return Results.Ok(new { status = "ready", master = info.SiloAddress, epoch = info.Epoch });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Results.Json(new { status = "not ready", reason = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
