using OrleansFs.TestSupport;

namespace OrleansFs.Tests.UnderStorageSync;

/// <summary>One real silo (memory tier on a private tmpfs directory) whose under-storage directory the tests write into and read.</summary>
public sealed class UnderStorageSiloFixture : IAsyncLifetime
{
    private readonly string _memory = Path.Combine("/dev/shm", "ofs-test-" + Guid.NewGuid().ToString("N"));

    public SiloProcess Silo { get; private set; } = null!;
    public OfsRunner Ofs { get; private set; } = null!;
    public TempDirectory Local { get; } = new("ofs-ufs-local");
    public string UnderStorage => Path.Combine(Silo.DataDirectory, "ufs");

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync([$"--Worker:MemoryDirectory={_memory}", $"--Worker:MemoryBytes={256L << 20}",
            "--Master:MetadataSyncInterval=00:00:00"]);
        Ofs = new OfsRunner(Silo.Gateway);
    }

    public string OnDisk(string path) => Path.Join(UnderStorage, path);

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        Local.Dispose();
        if (Directory.Exists(_memory)) Directory.Delete(_memory, recursive: true);
    }
}
