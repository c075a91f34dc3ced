namespace OrleansFs.Grains.Hosting;

/// <summary>Where the Orleans membership table lives (`Cluster:Membership`).</summary>
public enum MembershipKind
{
    /// <summary>A single silo on this machine; no external service.</summary>
    Localhost,
    /// <summary>The membership table in ZooKeeper (`ZooKeeper:ConnectionString`).</summary>
    ZooKeeper,
    /// <summary>The membership table in PostgreSQL (`PostgreSql:ConnectionString`), through Orleans' ADO.NET clustering.</summary>
    PostgreSql,
    /// <summary>Not a kind of its own: refused, pointing to <see cref="PostgreSql"/> (the only ADO.NET database supported).</summary>
    AdoNet,
}
