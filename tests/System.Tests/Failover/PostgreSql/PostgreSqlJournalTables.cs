using Npgsql;

namespace OrleansFs.Tests.Failover;

/// <summary>What an operator reads with psql: the epochs (with their seals) and the records' sequence and epoch.</summary>
public static class PostgreSqlJournalTables
{
    public static async Task<Dictionary<long, long?>> EpochSealsAsync(string connectionString)
    {
        var seals = new Dictionary<long, long?>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT epoch, seal FROM ofs_journal_epochs ORDER BY epoch", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) seals[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        return seals;
    }

    /// <summary>Records of <paramref name="epoch"/> with a sequence above <paramref name="afterSequence"/>.</summary>
    public static async Task<long> CountRecordsAsync(string connectionString, long epoch, long afterSequence)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM ofs_journal_records WHERE epoch = $1 AND seq > $2", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = epoch });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
