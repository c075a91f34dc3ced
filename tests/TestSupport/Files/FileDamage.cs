namespace OrleansFs.TestSupport.Files;

/// <summary>Damage done to a file behind its owner's back, as a bad disk or a stray writer would.</summary>
public static class FileDamage
{
    /// <summary>Flips bits of the byte at <paramref name="offset"/>, leaving the file's length and every other byte as they were.</summary>
    public static void FlipByte(string path, long offset)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var one = new byte[1];
        RandomAccess.Read(file, one, offset);
        one[0] ^= 0x5A;
        RandomAccess.Write(file, one, offset);
    }
}
