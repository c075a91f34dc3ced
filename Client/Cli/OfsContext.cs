using System.CommandLine;
using OrleansFs.Client;
using OrleansFs.Client.Streams;
using OrleansFs.Errors;
using OrleansFs.Paths;

namespace OrleansFs.Cli;

/// <summary>
/// What a command runs with: the connection (opened on first use) and the output streams. It also turns
/// every failure into the one stderr line `ofs: COMMAND: PATH: REASON` and an exit status.
/// </summary>
internal sealed class OfsContext(GlobalOptions globals, TextWriter output, TextWriter error) : IAsyncDisposable
{
    public const int Failure = 1;
    public const int UsageError = 2;

    private OrleansFsConnection? _connection;

    public TextWriter Out { get; } = output;

    /// <summary>The path the command is working on, named in the error line when the error itself names none.</summary>
    public string? CurrentPath { get; set; }

    /// <summary>Checks every path before connecting, so a bad path is reported as such even when the cluster is down.</summary>
    public void CheckPaths(params IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            CurrentPath = path;
            FsPath.Parse(path);
        }
        CurrentPath = null;
    }

    public async Task<IFileSystem> FileSystemAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        _connection ??= await OrleansFsClient.ConnectAsync(globals.ToClientOptions(parse), cancellationToken);
        return _connection.FileSystem;
    }

    /// <summary>The database of `--postgres` or `$OFS_POSTGRES`, for commands that work on it without a cluster.</summary>
    public string? PostgreSqlConnectionString(ParseResult parse) =>
        parse.GetValue(globals.PostgreSql) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(GlobalOptions.PostgreSqlVariable) is { Length: > 0 } variable ? variable
        : null;

    /// <summary>The file-data client (streams, persist, free, load, pin, locations) on the same connection.</summary>
    public async Task<OrleansFs.Client.Streams.FileDataClient> DataAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await FileSystemAsync(parse, cancellationToken);
        return _connection!.Data;
    }

    public async Task<int> RunAsync(string command, Func<Task> body)
    {
        try
        {
            await body();
            return 0;
        }
        catch (FsException e)
        {
            Fail(command, e.Path ?? CurrentPath, e.Reason);
        }
        catch (ArgumentException e)
        {
            Fail(command, CurrentPath, e.Message);
            return UsageError;
        }
        catch (NotSupportedException e)
        {
            Fail(command, CurrentPath, e.Message);
        }
        catch (OperationCanceledException)
        {
            Fail(command, CurrentPath, "cancelled");
        }
        catch (Exception e)
        {
            // Anything unexpected still gets one line; the type helps a bug report.
            Fail(command, CurrentPath, $"{e.GetType().Name}: {e.GetBaseException().Message}");
        }
        return Failure;
    }

    public void Fail(string command, string? path, string reason)
    {
        string line = path is null ? $"ofs: {command}: {reason}" : $"ofs: {command}: {path}: {reason}";
        error.WriteLine(OneLine(line));
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }
}
