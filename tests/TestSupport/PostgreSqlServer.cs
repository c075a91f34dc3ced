using System.Diagnostics;
using Npgsql;

namespace OrleansFs.TestSupport;

/// <summary>
/// A real PostgreSQL 15 server (Debian's postgresql-15 binaries) in a temporary directory on a free port:
/// <c>initdb</c>, then <c>pg_ctl start</c>; stopped by the postmaster's PID and the directory deleted on dispose.
/// initdb refuses to run as root, so under root (CI) both run as the <c>postgres</c> user through <c>runuser</c>.
/// Durability settings are off unless asked for (fsync, full page writes; synchronous_commit stays on): tests check
/// logic, not disks.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string SuperUser = "postgres";
    private static readonly bool IsRoot = Environment.UserName == "root";
    private readonly TempDirectory _directory;
    private int _databases;
    private string? _shared;

    private readonly bool _durable;

    private PostgreSqlServer(TempDirectory directory, int port, bool durable)
    {
        _directory = directory;
        Port = port;
        _durable = durable;
    }

    public int Port { get; }
    /// <summary>The postmaster's PID (for tests that pause or kill it); a new one after <see cref="StopServerAsync"/> and <see cref="StartServerAsync"/>.</summary>
    public int ProcessId { get; private set; }
    private string DataDirectory => Path.Combine(Directory, "data");
    public string Directory => _directory.Path;
    public string LogPath => Path.Combine(Directory, "server.log");

    /// <summary>A connection string to <paramref name="database"/> as the superuser, over TCP on loopback.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database};Pooling=true;Timeout=10;Command Timeout=30";

    /// <param name="durable">Keep fsync and full page writes on (benchmarks); tests leave them off.</param>
    public static async Task<PostgreSqlServer> StartAsync(bool durable = false)
    {
        string initdb = Path.Combine(BinDirectory, "initdb");
        if (!File.Exists(initdb))
            throw new InvalidOperationException(
                $"{initdb} is missing. Install PostgreSQL 15: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15");
        var directory = new TempDirectory("ofs-postgres");
        try
        {
            if (IsRoot) HandToPostgresUser(directory.Path);
            string data = Path.Combine(directory.Path, "data");
            await RunAsync("initdb", "-D", data, "-A", "trust", "-U", SuperUser, "-E", "UTF8", "--no-sync");
            int port = FreePort.Next();
            var server = new PostgreSqlServer(directory, port, durable);
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the server on its data directory and port (again, after <see cref="StopServerAsync"/>): what an operator's
    /// restart of PostgreSQL does, with every committed row still there.
    /// </summary>
    public async Task StartServerAsync()
    {
        string settings = $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c max_connections=200"
            + (_durable ? "" : " -c fsync=off -c full_page_writes=off");
        await RunAsync("pg_ctl", "-D", DataDirectory, "-o", settings, "-l", LogPath, "-w", "-t", "60", "start");
        ProcessId = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First());
    }

    /// <summary><c>pg_ctl stop -m fast</c>: open connections are cut, committed rows stay; <see cref="StartServerAsync"/> brings it back.</summary>
    public async Task StopServerAsync()
    {
        await RunAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops (fast) and starts the server on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        await StopServerAsync();
        await StartServerAsync();
    }

    /// <summary>Creates a fresh, empty database and returns its connection string: one per test keeps tests apart.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// Creates a fresh, empty schema in one shared database and returns a connection string whose search path is
    /// that schema: as isolated as a new database for unqualified table names, and milliseconds instead of most of a
    /// second. NOTIFY channels are still per database, so listeners may see other schemas' notifications.
    /// </summary>
    public async Task<string> CreateSchemaAsync()
    {
        _shared ??= await CreateDatabaseAsync();
        string name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(_shared);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {name}", connection);
        await command.ExecuteNonQueryAsync();
        return $"{_shared};Search Path={name}";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await StopAsync();
        _directory.Dispose();
    }

    /// <summary>SIGINT (fast shutdown) to the postmaster's PID, then SIGKILL if it is still there after 10 s.</summary>
    private async Task StopAsync()
    {
        Process postmaster;
        try
        {
            postmaster = Process.GetProcessById(ProcessId);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }
        using (postmaster)
        {
            using (var kill = Process.Start("kill", ["-INT", ProcessId.ToString()])) await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await postmaster.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                postmaster.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The postgres user must own the directory and be able to reach it through every parent.</summary>
    private static void HandToPostgresUser(string path)
    {
        using (var chown = Process.Start("chown", [$"{SuperUser}:{SuperUser}", path])!) chown.WaitForExit();
        // test.sh's run directory is created 0700; only the search bit is added, never read or write.
        for (string? parent = Path.GetDirectoryName(path); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            UnixFileMode mode = File.GetUnixFileMode(parent);
            if (!mode.HasFlag(UnixFileMode.OtherExecute)) File.SetUnixFileMode(parent, mode | UnixFileMode.OtherExecute);
        }
    }

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(IsRoot ? "runuser" : Path.Combine(BinDirectory, tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot)
        {
            foreach (string part in new[] { "-u", SuperUser, "--", Path.Combine(BinDirectory, tool) }) start.ArgumentList.Add(part);
        }
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed with exit code {process.ExitCode}:\n{await output}\n{await errors}");
    }
}
