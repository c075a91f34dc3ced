using OrleansFs.Blocks;
using OrleansFs.Errors;
using OrleansFs.Master;

namespace OrleansFs.Tests.Client;

/// <summary>A persist grain that fails with <paramref name="failure"/> when one is given.</summary>
public sealed class FailingPersist(FsException? failure) : IPersistGrain
{
    public Task<JournalPosition> Persist(string path) =>
        failure is null ? Task.FromResult(new JournalPosition(1, 1)) : Task.FromException<JournalPosition>(failure);

    public Task Schedule(string path) => Task.CompletedTask;
}
