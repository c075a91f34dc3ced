using OrleansFs.Files;
using OrleansFs.Grains.Master.Checkpoints;

namespace OrleansFs.Tests.Master;

public sealed class CheckpointCodecTests
{
    [Fact]
    public async Task A_checkpoint_round_trips_the_whole_state()
    {
        await using var m = await TestMaster.StartAsync();
        for (int i = 0; i < 300; i++)
            await m.Service.CreateFile($"/d{i % 7}/f{i}", new CreateFileOptions { TtlMs = i % 5 == 0 ? 1000 : -1 }, Guid.NewGuid());
        await m.Service.CompleteFile("/d0/f0", 1 << 20, Guid.NewGuid());

        var read = CheckpointCodec.Read(new MemoryStream(Write(m)));

        Assert.Equal(m.Dump(), NamespaceDump.Of(read));
    }

    [Fact]
    public async Task Bad_magic_an_unknown_version_and_a_cut_file_are_refused()
    {
        await using var m = await TestMaster.StartAsync();
        await m.Service.CreateFile("/f", new CreateFileOptions(), Guid.NewGuid());
        byte[] good = Write(m);

        var magic = (byte[])good.Clone();
        magic[0] ^= 0xFF;
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => CheckpointCodec.Read(new MemoryStream(magic))).Message);

        var version = (byte[])good.Clone();
        version[8] = 77;
        Assert.Contains("version 77", Assert.Throws<InvalidDataException>(() => CheckpointCodec.Read(new MemoryStream(version))).Message);

        for (int cut = 0; cut < good.Length; cut += 7)
            Assert.Throws<InvalidDataException>(() => CheckpointCodec.Read(new MemoryStream(good[..cut])));
    }

    private static byte[] Write(TestMaster m)
    {
        var stream = new MemoryStream();
        CheckpointCodec.Write(m.Service.State, stream);
        return stream.ToArray();
    }
}
