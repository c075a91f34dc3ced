// An application on the OrleansFs.Client package alone. Each round writes a file, reads it back, checks the
// bytes and lists the directory, then reports what it did and which silo holds the master. Kill the master's
// silo while it runs (`deploy/local-cluster.sh kill-master`): the client's retries carry every call to the new
// master and the rounds go on; a write stream cut by the failover is written again.
//
//   dotnet run -- --zookeeper 127.0.0.1:21881,127.0.0.1:21882,127.0.0.1:21883/orleansfs
//   dotnet run -- --gateway 127.0.0.1:30000 --rounds 50 --pause-ms 200
//
// Exit status 0 when every round checked out; 1 with one line on standard error otherwise.
using System.Diagnostics;
using System.Text;
using OrleansFs.Client;
using OrleansFs.Client.Retry;
using OrleansFs.Files;

int rounds = 20;
var pause = TimeSpan.FromMilliseconds(500);
string directory = $"/samples/{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Random.Shared.Next(10000):D4}";
var options = new OrleansFsClientOptions
{
    // The retry options: each call keeps trying for up to a minute (a failover takes seconds), each attempt
    // waits at most 3 s for its answer, and the pauses between attempts stay short so no time is lost after
    // the new master is up.
    CallTimeout = TimeSpan.FromSeconds(60),
    AttemptTimeout = TimeSpan.FromSeconds(3),
    InitialRetryDelay = TimeSpan.FromMilliseconds(50),
    MaxRetryDelay = TimeSpan.FromMilliseconds(500),
    ConnectTimeout = TimeSpan.FromSeconds(30),
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--zookeeper": options.ZooKeeperConnectionString = args[i + 1]; break;
        case "--gateway": options.Gateways.Add(args[i + 1]); break;
        case "--rounds": rounds = int.Parse(args[i + 1]); break;
        case "--pause-ms": pause = TimeSpan.FromMilliseconds(int.Parse(args[i + 1])); break;
        case "--directory": directory = args[i + 1]; break;
        default: Console.Error.WriteLine($"sample: unknown option {args[i]}"); return 2;
    }
}

try
{
    await using var connection = await OrleansFsClient.ConnectAsync(options);
    var fs = connection.FileSystem;
    await fs.CreateDirectoryAsync(directory, recursive: true);
    Console.WriteLine($"connected; writing {rounds} files under {directory}");
    string? lastMaster = null;
    int rewrites = 0;
    for (int round = 1; round <= rounds; round++)
    {
        var watch = Stopwatch.StartNew();
        string path = $"{directory}/file-{round:D3}.txt";
        byte[] content = Encoding.UTF8.GetBytes($"round {round} of the OrleansFs sample, written at {DateTime.UtcNow:O}\n");
        rewrites += await WriteAsync(connection, path, content);
        byte[] read = await ReadAsync(connection, path);
        if (!read.AsSpan().SequenceEqual(content))
            throw new InvalidOperationException($"{path} read back {read.Length} bytes that differ from the {content.Length} written");
        var entries = await fs.ListStatusAsync(directory);
        if (!entries.Any(e => e.Path == path)) throw new InvalidOperationException($"{directory} does not list {path}");
        var master = await fs.GetMasterInfoAsync();
        string moved = lastMaster is not null && lastMaster != master.SiloAddress ? $" (failover: the master moved from {lastMaster})" : "";
        Console.WriteLine($"round {round}/{rounds}: wrote and read back {path} ({content.Length} bytes); {directory} lists {entries.Count} entries; " +
                          $"master {master.SiloAddress} epoch {master.Epoch}; {watch.ElapsedMilliseconds} ms{moved}");
        lastMaster = master.SiloAddress;
        await Task.Delay(pause);
    }
    Console.WriteLine($"done: {rounds} rounds checked, {rewrites} writes repeated after a failover");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"sample: {e.GetType().Name}: {e.Message}");
    return 1;
}

// Writes the file; a write stream cut by a failover fails cleanly (no completed file is left) and is written
// again over whatever it left. Returns how many times it had to write again.
static async Task<int> WriteAsync(OrleansFsConnection connection, string path, byte[] content)
{
    for (int attempt = 0; ; attempt++)
    {
        try
        {
            var create = new CreateFileOptions { WriteType = WriteType.CacheThrough, Overwrite = true };
            await using (var stream = await connection.Data.CreateFileAsync(path, create))
                await stream.WriteAsync(content);
            return attempt;
        }
        catch (Exception e) when (attempt < 3 && TransientFailure.IsTransient(e))
        {
            Console.WriteLine($"writing {path} again after a failover: {e.Message}");
        }
    }
}

static async Task<byte[]> ReadAsync(OrleansFsConnection connection, string path)
{
    for (int attempt = 0; ; attempt++)
    {
        try
        {
            await using var stream = await connection.Data.OpenFileAsync(path);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
        catch (Exception e) when (attempt < 3 && TransientFailure.IsTransient(e))
        {
            Console.WriteLine($"reading {path} again after a failover: {e.Message}");
        }
    }
}
