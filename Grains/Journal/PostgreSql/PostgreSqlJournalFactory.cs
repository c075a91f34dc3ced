using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansFs.Schema;

namespace OrleansFs.Grains.Journal.PostgreSql;

/// <summary>
/// Creates a <see cref="PostgreSqlJournal"/> for each master activation and a <see cref="PostgreSqlJournalTailer"/> for
/// the warm standby, all over one connection pool. The schema is applied at first use (and tried again at the next
/// use if the database was unreachable). The epochs live in the same database as the records, whatever the
/// cluster's membership is.
/// </summary>
public sealed class PostgreSqlJournalFactory : IJournalFactory, IAsyncDisposable, IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly string _connectionString;
    private readonly Lazy<NpgsqlDataSource> _dataSource;
    private readonly object _gate = new();
    private Task? _schema;

    public PostgreSqlJournalFactory(IOptions<PostgreSqlOptions> options, ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        _connectionString = options.Value.ConnectionString;
        _dataSource = new Lazy<NpgsqlDataSource>(CreateDataSource);
    }

    /// <summary>Where a journal is, for logs and `ofs report`: <c>postgresql://host:port/database</c> (no credentials).</summary>
    public IJournal Create() =>
        new PostgreSqlJournal(_dataSource.Value, PostgreSqlJournalReader.LocationOf(_connectionString), _loggerFactory.CreateLogger<PostgreSqlJournal>(), EnsureSchemaAsync);

    public IJournalTailer CreateTailer() =>
        new PostgreSqlJournalTailer(_dataSource.Value, _loggerFactory.CreateLogger<PostgreSqlJournalTailer>(), EnsureSchemaAsync);

    public async ValueTask DisposeAsync()
    {
        if (_dataSource.IsValueCreated) await _dataSource.Value.DisposeAsync();
    }

    public void Dispose()
    {
        if (_dataSource.IsValueCreated) _dataSource.Value.Dispose();
    }

    private Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
                _schema = PostgreSqlSchema.ApplyAsync(_dataSource.Value, progress: null, CancellationToken.None);
            return _schema.WaitAsync(cancellationToken);
        }
    }

    private NpgsqlDataSource CreateDataSource()
    {
        var check = new PostgreSqlOptionsValidator().Validate(null, new PostgreSqlOptions { ConnectionString = _connectionString });
        if (check.Failed) throw new OptionsValidationException(PostgreSqlOptions.Section, typeof(PostgreSqlOptions), check.Failures);
        // Npgsql logs every command at Information; the journal logs its own failures, with their exceptions.
        var builder = new NpgsqlDataSourceBuilder(_connectionString);
        // The journal sends the same few statements thousands of times a second; prepared once per connection, the
        // server stops parsing and planning the batch insert every time. An operator's own setting wins.
        if (!NamesAutoPrepare(_connectionString))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }
        return builder.Build();
    }

    /// <summary>True when the operator set auto-prepare (0 turns it off, for a pooler that cannot keep statements).</summary>
    private static bool NamesAutoPrepare(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
}
