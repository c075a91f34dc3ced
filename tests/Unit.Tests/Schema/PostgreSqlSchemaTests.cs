using Npgsql;
using NpgsqlTypes;
using OrleansFs.Schema;
using OrleansFs.Unit.Tests.Journal;

namespace OrleansFs.Unit.Tests.Schema;

/// <summary>
/// The shipped schema on a real PostgreSQL 15: applied once even by racing callers, and the Orleans queries it
/// stores behave as the ADO.NET providers expect (run by key with the providers' parameter names and types).
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlSchemaTests(PostgreSqlFixture postgres)
{
    [Fact]
    public async Task Two_racing_appliers_apply_each_script_once()
    {
        string database = await postgres.Server.CreateSchemaAsync();

        var results = await Task.WhenAll(
            PostgreSqlSchema.ApplyAsync(database, null, CancellationToken.None),
            PostgreSqlSchema.ApplyAsync(database, null, CancellationToken.None));

        Assert.Equal(PostgreSqlSchema.Scripts.Select(s => s.Name), results.Single(r => r.Count > 0));
        Assert.Empty(results.Single(r => r.Count == 0));
        Assert.Equal((long)PostgreSqlSchema.Scripts.Count, await ScalarAsync(database, "SELECT count(*) FROM ofs_schema_version", []));
    }

    [Fact]
    public async Task Grain_storage_writes_with_the_version_read_and_reports_a_stale_one_as_unchanged()
    {
        string database = await AppliedAsync();
        var grain = StorageKey();

        object? first = await RunAsync(database, "WriteToStorageKey", [.. grain, Version(null), Payload([1])]);
        object? second = await RunAsync(database, "WriteToStorageKey", [.. grain, Version(1), Payload([2])]);
        object? stale = await RunAsync(database, "WriteToStorageKey", [.. grain, Version(1), Payload([3])]);
        object? duplicateFirst = await RunAsync(database, "WriteToStorageKey", [.. grain, Version(null), Payload([4])]);
        var (payload, version) = await ReadStateAsync(database, grain);
        object? cleared = await RunAsync(database, "ClearStorageKey", [.. grain, Version(2)]);

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.Equal(1, stale); // unchanged: the provider raises a version conflict
        Assert.Equal(DBNull.Value, duplicateFirst);
        Assert.Equal([2], payload);
        Assert.Equal(2, version);
        Assert.Equal(3, cleared);
    }

    [Fact]
    public async Task Reminders_upsert_read_by_range_and_delete_only_at_their_version()
    {
        string database = await AppliedAsync();
        NpgsqlParameter[] key = [Text("ServiceId", "ofs"), Text("GrainId", "grain-1"), Text("ReminderName", "ttl")];
        NpgsqlParameter[] row = [.. key, new("StartTime", DateTime.UtcNow), new("Period", 60_000L), new("GrainHash", 42)];

        object? created = await RunAsync(database, "UpsertReminderRowKey", row);
        object? updated = await RunAsync(database, "UpsertReminderRowKey", row);
        object? inRange = await ScalarAsync(database, await QueryAsync(database, "ReadRangeRows1Key"),
            [Text("ServiceId", "ofs"), Int("BeginHash", 0), new("EndHash", 100)]);
        object? staleDelete = await RunAsync(database, "DeleteReminderRowKey", [.. key, Int("Version", 0)]);
        object? delete = await RunAsync(database, "DeleteReminderRowKey", [.. key, new("Version", 1)]);

        Assert.Equal(0, created);
        Assert.Equal(1, updated);
        Assert.Equal("grain-1", inRange);
        Assert.Equal(0, staleDelete);
        Assert.Equal(1, delete);
    }

    [Fact]
    public async Task Every_query_key_the_providers_ask_for_is_stored()
    {
        string database = await AppliedAsync();
        string[] keys =
        [
            "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
            "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
            "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];

        foreach (string key in keys) Assert.False(string.IsNullOrWhiteSpace(await QueryAsync(database, key)), key);
    }

    private async Task<string> AppliedAsync()
    {
        string database = await postgres.Server.CreateSchemaAsync();
        await PostgreSqlSchema.ApplyAsync(database, null, CancellationToken.None);
        return database;
    }

    private static NpgsqlParameter[] StorageKey() =>
    [
        new("GrainIdHash", 7), new("GrainIdN0", 1L), new("GrainIdN1", 2L), new("GrainTypeHash", 9),
        Text("GrainTypeString", "ofs.test"), new("GrainIdExtensionString", NpgsqlDbType.Text) { Value = DBNull.Value },
        Text("ServiceId", "ofs"),
    ];

    private static NpgsqlParameter Int(string name, int value) => new NpgsqlParameter<int>(name, value);
    private static NpgsqlParameter Text(string name, string value) => new(name, NpgsqlDbType.Text) { Value = value };
    private static NpgsqlParameter Version(int? version) => new("GrainStateVersion", NpgsqlDbType.Integer) { Value = (object?)version ?? DBNull.Value };
    private static NpgsqlParameter Payload(byte[] bytes) => new("PayloadBinary", NpgsqlDbType.Bytea) { Value = bytes };

    private static async Task<(byte[] Payload, int Version)> ReadStateAsync(string database, NpgsqlParameter[] grain)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(await QueryAsync(database, "ReadFromStorageKey"), connection);
        command.Parameters.AddRange(grain.Select(p => p.Clone()).ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return ((byte[])reader["PayloadBinary"], (int)reader["Version"]);
    }

    private static async Task<object?> RunAsync(string database, string key, NpgsqlParameter[] parameters) =>
        await ScalarAsync(database, await QueryAsync(database, key), parameters);

    private static async Task<string> QueryAsync(string database, string key) =>
        (string)(await ScalarAsync(database, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key", [Text("key", key)]))!;

    private static async Task<object?> ScalarAsync(string database, string sql, NpgsqlParameter[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        return await command.ExecuteScalarAsync();
    }
}
