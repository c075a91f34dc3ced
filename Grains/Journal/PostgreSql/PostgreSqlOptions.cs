namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>The `PostgreSql` configuration section: where the PostgreSQL journal (`Journal:Kind=PostgreSql`) lives.</summary>
public sealed class PostgreSqlOptions
{
    public const string Section = "PostgreSql";

    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=ofs;Username=ofs;Password=...</c>.</summary>
    public string ConnectionString { get; set; } = "";
}
