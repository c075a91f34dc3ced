namespace OrleansFs.Grains.Journal;

/// <summary>What a checkpoint file says about itself.</summary>
public readonly record struct CheckpointHeader(long AsOfSequence, long Epoch, long BodyLength, uint BodyChecksum);
