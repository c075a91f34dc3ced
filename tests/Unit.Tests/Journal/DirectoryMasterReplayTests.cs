namespace OrleansFs.Unit.Tests.Journal;

/// <summary>The <see cref="MasterReplayContractTests"/> cases on the directory journal.</summary>
public sealed class DirectoryMasterReplayTests : MasterReplayContractTests
{
    protected override Task<JournalBackend> NewBackendAsync() => Task.FromResult<JournalBackend>(new DirectoryJournalBackend());
}
