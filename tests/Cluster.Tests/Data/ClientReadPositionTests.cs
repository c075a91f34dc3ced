using Microsoft.Extensions.DependencyInjection;
using OrleansFs.Client.FileSystem;
using OrleansFs.Client.Streams;
using OrleansFs.Files;

namespace OrleansFs.Tests.Data;

/// <summary>
/// One client keeps one read position, whether code holds its <see cref="IClusterClient"/> or the grain factory of its
/// services: a file written through one is read back through the other at a position that includes the write.
/// </summary>
public sealed class ClientReadPositionTests(DataClusterFixture fixture) : IClassFixture<DataClusterFixture>
{
    [Fact]
    public async Task A_cluster_client_and_its_grain_factory_share_one_read_position()
    {
        var factory = fixture.Client.ServiceProvider.GetRequiredService<IGrainFactory>();
        string path = $"/read-position/{Guid.NewGuid():N}";

        await using (var stream = await new FileDataClient(fixture.Client).CreateFileAsync(path, new CreateFileOptions()))
            await stream.WriteAsync(new byte[] { 1, 2, 3 });
        var read = await MetadataReads.For(factory).GetStatusAsync(path);

        Assert.Same(MetadataReads.For(fixture.Client), MetadataReads.For(factory));
        Assert.True(MetadataReads.For(factory).Seen >= read.Journal);
        Assert.True(read.Completed);
        Assert.Equal(3, read.Length);
    }
}
