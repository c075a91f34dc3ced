using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Options;
using OrleansFs.Silo.Web.Options;

namespace OrleansFs.Silo.Web.Dashboard;

/// <summary>
/// Splits one Kestrel app into two sites by the port a request arrived on: the dashboard's endpoints
/// answer only on <see cref="DashboardEndpointOptions.Port"/>, everything else only on the other ports.
/// Both sites map "/", so this also keeps their routes from colliding. The local port cannot be forged
/// the way a Host header can.
/// </summary>
public sealed class DashboardPortMatcherPolicy(IOptions<DashboardEndpointOptions> options) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => options.Value.Enabled;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        bool onDashboardPort = httpContext.Connection.LocalPort == options.Value.Port;
        for (int i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i)) continue;
            bool isDashboard = candidates[i].Endpoint.Metadata.GetMetadata<DashboardEndpointMetadata>() is not null;
            if (isDashboard != onDashboardPort) candidates.SetValidity(i, false);
        }
        return Task.CompletedTask;
    }
}
