using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansFs.Errors;
using OrleansFs.Silo.Web.Api;
using OrleansFs.Silo.Web.Data;

namespace OrleansFs.Silo.Web.Pages;

/// <summary>The HTML pages, server-rendered from Razor components (which HTML-encode every value).</summary>
public static class PageEndpoints
{
    public static void MapOrleansFsPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", async (OverviewReader r, CancellationToken ct) => Page<OverviewPage>(await r.ReadAsync(ct)));
        endpoints.MapGet("/browse", (string? path, string? after, NamespaceReader r, CancellationToken ct) =>
            Render("Browse", "Browse", "/api/v1/browse", async () =>
            {
                var model = await r.BrowseAsync(path, after, ct);
                // A file's own page has more to say than a one-line listing.
                return model.IsDirectory ? Page<BrowsePage>(model) : Results.Redirect(Format.FileLink(model.Path));
            }));
        endpoints.MapGet("/file", (string? path, NamespaceReader r, CancellationToken ct) =>
            Render("File", "Browse", "/api/v1/file", async () => Page<FilePage>(await r.FileAsync(path, ct))));
        endpoints.MapGet("/inmemory", (string? after, NamespaceReader r, CancellationToken ct) =>
            Render("In-Memory Files", "In-Memory Files", "/api/v1/inmemory", async () => Page<InMemoryPage>(await r.InMemoryAsync(after, ct))));
        endpoints.MapGet("/workers", async (WorkersReader r, CancellationToken ct) => Page<WorkersPage>(await r.ReadAsync(ct)));
        endpoints.MapGet("/lineage", (LineageReader r, CancellationToken ct) =>
            Render("Lineage", "Lineage", "/api/v1/lineage", async () => Page<LineagePage>(await r.ReadAsync(ct))));
        endpoints.MapGet("/config", (ConfigurationReader r) => Page<ConfigurationPage>(r.Read()));
        endpoints.MapGet("/metricsui", (MetricsReader r) => Page<MetricsPage>(r.Read()));
        endpoints.MapGet("/timeline", async (TimelineReader r, CancellationToken ct) => Page<TimelinePage>(await r.ReadAsync(ct)));
    }

    private static IResult Page<TPage>(object model) where TPage : IComponent =>
        new RazorComponentResult<TPage>(new Dictionary<string, object?> { ["Model"] = model });

    /// <summary>Renders the page, or an error page with the same status the API would give.</summary>
    private static async Task<IResult> Render(string title, string active, string api, Func<Task<IResult>> render)
    {
        try
        {
            return await render();
        }
        catch (FsException e)
        {
            var (status, error) = ErrorMapping.From(e);
            return new RazorComponentResult<ErrorPage>(new Dictionary<string, object?>
            {
                ["Model"] = error, ["Title"] = title, ["Active"] = active, ["Api"] = api,
            })
            { StatusCode = status };
        }
    }
}
