namespace OrleansFs.Silo.Web.Dashboard;

/// <summary>Marks the Orleans dashboard's endpoints: served only on the dashboard port, behind the access check.</summary>
public sealed class DashboardEndpointMetadata
{
    public static DashboardEndpointMetadata Instance { get; } = new();
}
