using OrleansFs.TestSupport;

namespace OrleansFs.Tests;

/// <summary>One real silo shared by the tests that only drive it (no kills), to keep the suite fast.</summary>
public sealed class SharedSiloFixture : IAsyncLifetime
{
    public SiloProcess Silo { get; private set; } = null!;
    public OfsRunner Ofs { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync();
        Ofs = new OfsRunner(Silo.Gateway);
    }

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
