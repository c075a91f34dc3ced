using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFs.Errors;
using OrleansFs.Silo.Web.Data;

namespace OrleansFs.Silo.Web.Api;

/// <summary>The read-only JSON API under /api/v1/; the pages render from the same models.</summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static RouteGroupBuilder MapOrleansFsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix);
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (FsException e)
            {
                var (status, error) = ErrorMapping.From(e);
                return Results.Json(error, statusCode: status);
            }
        });
        api.MapGet("/overview", (OverviewReader r, CancellationToken ct) => r.ReadAsync(ct));
        api.MapGet("/workers", (WorkersReader r, CancellationToken ct) => r.ReadAsync(ct));
        api.MapGet("/browse", (string? path, string? after, NamespaceReader r, CancellationToken ct) => r.BrowseAsync(path, after, ct));
        api.MapGet("/file", (string? path, NamespaceReader r, CancellationToken ct) => r.FileAsync(path, ct));
        api.MapGet("/inmemory", (string? after, NamespaceReader r, CancellationToken ct) => r.InMemoryAsync(after, ct));
        api.MapGet("/timeline", (TimelineReader r, CancellationToken ct) => r.ReadAsync(ct));
        api.MapGet("/config", (ConfigurationReader r) => r.Read());
        api.MapGet("/metrics", (MetricsReader r) => r.Read());
        api.MapGet("/metrics/series", (SeriesReader r, CancellationToken ct) => r.ReadAsync(ct));
        api.MapGet("/lineage", (LineageReader r, CancellationToken ct) => r.ReadAsync(ct));
        return api;
    }
}
