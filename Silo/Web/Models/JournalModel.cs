namespace OrleansFs.Silo.Web.Models;

public sealed record JournalModel(string Kind, string Location, long Sequence, long LastCheckpointSequence, DateTimeOffset? LastCheckpointTime);
