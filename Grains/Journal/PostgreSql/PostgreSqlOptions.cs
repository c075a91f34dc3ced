namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// The `PostgreSql` configuration section: the database of the PostgreSQL journal (`Journal:Kind=PostgreSql`) and of
/// the Orleans membership table (`Cluster:Membership=PostgreSql`).
/// </summary>
public sealed class PostgreSqlOptions
{
    public const string Section = "PostgreSql";

    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=ofs;Username=ofs;Password=...</c>.</summary>
    public string ConnectionString { get; set; } = "";
}
