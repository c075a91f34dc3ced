namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="JournalContractTests"/> cases on the directory journal.</summary>
public sealed class DirectoryJournalContractTests : JournalContractTests
{
    protected override Task<JournalBackend> NewBackendAsync() => Task.FromResult<JournalBackend>(new DirectoryJournalBackend());
}
