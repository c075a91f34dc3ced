using OrleansFs.Client;
using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Listing;

/// <summary>A real silo with one directory of <see cref="Count"/> entries (<c>/big/f000000</c> …), made once per class.</summary>
public sealed class LargeDirectoryFixture : IAsyncLifetime
{
    public const int Count = 100_000;
    public const string Directory = "/big";
    private const int Writers = 64;

    public SiloProcess Silo { get; private set; } = null!;
    public OrleansFsConnection Client { get; private set; } = null!;

    public static string NameOf(int i) => $"f{i:D6}";

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync();
        Client = await OrleansFsClient.ConnectAsync(new OrleansFsClientOptions { Gateways = [Silo.Gateway], CallTimeout = TimeSpan.FromSeconds(60) });
        await Client.FileSystem.CreateDirectoryAsync(Directory);
        int next = -1;
        // Concurrent creates share the master's group commit.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < Count; i = Interlocked.Increment(ref next))
                await Client.FileSystem.CreateFileEntryAsync($"{Directory}/{NameOf(i)}");
        }));
    }

    public async Task DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        if (Silo is not null) await Silo.DisposeAsync();
    }
}
