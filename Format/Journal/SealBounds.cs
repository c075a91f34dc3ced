namespace OrleansFs.Grains.Journal;

/// <summary>How far each epoch's records count, given the seals later epochs wrote.</summary>
internal static class SealBounds
{
    /// <summary>
    /// The last sequence <paramref name="epoch"/> may contribute: the lowest seal of any later epoch (a seal
    /// ends every epoch before it). <see cref="long.MaxValue"/> if no later epoch has sealed.
    /// </summary>
    public static long Of(IReadOnlyList<EpochInfo> epochs, long epoch)
    {
        long bound = long.MaxValue;
        foreach (EpochInfo info in epochs)
            if (info.Epoch > epoch && info.Seal is long seal && seal < bound) bound = seal;
        return bound;
    }
}
