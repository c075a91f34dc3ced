namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="FencingContractTests"/> cases on the directory journal.</summary>
public sealed class DirectoryFencingTests : FencingContractTests
{
    protected override Task<JournalBackend> NewBackendAsync() => Task.FromResult<JournalBackend>(new DirectoryJournalBackend());
}
