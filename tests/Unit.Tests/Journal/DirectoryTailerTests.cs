namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="TailerContractTests"/> cases on the directory journal.</summary>
public sealed class DirectoryTailerTests : TailerContractTests
{
    protected override Task<JournalBackend> NewBackendAsync() => Task.FromResult<JournalBackend>(new DirectoryJournalBackend());
}
