using OrleansFs.Files;
using OrleansFs.Grains.Master.Persistence;
using OrleansFs.Tests.Master;

namespace OrleansFs.Tests.Persistence;

public sealed class PersistReschedulerTests
{
    [Fact]
    public async Task Only_complete_files_still_waiting_for_persistence_are_found_with_their_current_paths()
    {
        await using var m = await TestMaster.StartAsync();
        async Task FileAsync(string path, PersistenceState state, bool complete = true)
        {
            await m.Service.CreateFile(path, new CreateFileOptions { Recursive = true }, Guid.NewGuid());
            if (complete) await m.Service.CompleteFile(path, 10, Guid.NewGuid());
            if (state != PersistenceState.NotPersisted)
                await m.Service.SetAttribute(path, new SetAttributeOptions { PersistenceState = state }, Guid.NewGuid());
        }
        await FileAsync("/a/waiting", PersistenceState.ToBePersisted);
        await FileAsync("/a/done", PersistenceState.Persisted);
        await FileAsync("/a/lost", PersistenceState.Lost);
        await FileAsync("/b/memory", PersistenceState.NotPersisted);
        await FileAsync("/b/writing", PersistenceState.ToBePersisted, complete: false);
        await FileAsync("/c/d/deep", PersistenceState.ToBePersisted);
        await m.Service.Rename("/c", "/moved", Guid.NewGuid());

        var found = PersistRescheduler.Find(m.Service.State);

        Assert.Equal(["/a/waiting", "/moved/d/deep"], found.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(m.Service.GetStatus("/a/waiting").InodeId, found.Single(f => f.Path == "/a/waiting").InodeId);
    }
}
