using Npgsql;

namespace OrleansFs.TestSupport;

/// <summary>
/// Applies what Orleans' ADO.NET grain storage and reminders need to a test database: the OrleansQuery table
/// (deploy/sql/orleans/001_main.sql's, created here only if missing) and deploy/sql/orleans/003 and 004 as shipped.
/// </summary>
public static class OrleansSqlSchema
{
    private const string QueryTable =
        "CREATE TABLE IF NOT EXISTS OrleansQuery (QueryKey varchar(64) NOT NULL PRIMARY KEY, QueryText varchar(8000) NOT NULL)";

    public static readonly string[] Scripts = ["003_persistence.sql", "004_reminders.sql"];

    public static async Task ApplyAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, QueryTable);
        foreach (string script in Scripts) await ExecuteAsync(connection, Read(script));
    }

    public static string Read(string script)
    {
        using var stream = typeof(OrleansSqlSchema).Assembly.GetManifestResourceStream($"OrleansFs.TestSupport.Sql.{script}")
            ?? throw new InvalidOperationException($"{script} is not embedded in TestSupport");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
