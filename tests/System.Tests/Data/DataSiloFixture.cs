using OrleansFs.TestSupport;

namespace OrleansFs.Tests.Data;

/// <summary>One real silo whose memory tier is a private tmpfs directory.</summary>
public sealed class DataSiloFixture : IAsyncLifetime
{
    private readonly string _memory = Path.Combine("/dev/shm", "ofs-test-" + Guid.NewGuid().ToString("N"));

    public SiloProcess Silo { get; private set; } = null!;
    public OfsRunner Ofs { get; private set; } = null!;
    public TempDirectory Local { get; } = new("ofs-data-local");
    public string MemoryDirectory => _memory;

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync([$"--Worker:MemoryDirectory={_memory}", $"--Worker:MemoryBytes={1L << 30}"]);
        Ofs = new OfsRunner(Silo.Gateway);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        Local.Dispose();
        if (Directory.Exists(_memory)) Directory.Delete(_memory, recursive: true);
    }
}
