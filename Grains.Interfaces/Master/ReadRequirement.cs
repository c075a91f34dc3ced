namespace OrleansFs.Master;

/// <summary>
/// What a client asks of a metadata read: a state at least as new as <see cref="AtLeast"/> (the highest journal
/// position it has seen), and with <see cref="FromMaster"/>, an answer from the master itself, never a standby.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("OrleansFs.ReadRequirement")]
public readonly record struct ReadRequirement(
    [property: Id(0)] JournalPosition AtLeast,
    [property: Id(1)] bool FromMaster);
