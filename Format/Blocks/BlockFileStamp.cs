using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OrleansFs.Blocks;

/// <summary>
/// What the kernel says about a block file that any change to its bytes would alter: inode, size, and the change and
/// modification times to the nanosecond (<c>statx</c>). A write, a truncate, a replacement or an unlink changes the
/// change time, which no user can set back, so a block file whose stamp is the one taken when its bytes were last
/// checked still holds those bytes (memory that flips a bit on its own is what the scrubber is for). Null where
/// <c>statx</c> is not available: such a block is verified on every read. A worker hands the stamp of a block it
/// verified to same-host clients (<see cref="StoredBlockInfo.VerifiedStamp"/>), which may then read the file without
/// hashing on the same terms.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("OrleansFs.BlockFileStamp")]
public readonly record struct BlockFileStamp(
    [property: Id(0)] ulong Inode, [property: Id(1)] long Size, [property: Id(2)] long ChangeSeconds, [property: Id(3)] uint ChangeNanoseconds,
    [property: Id(4)] long ModifySeconds, [property: Id(5)] uint ModifyNanoseconds)
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBytes = 256;
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>The stamp of an open block file; null when it cannot be taken.</summary>
    public static BlockFileStamp? Of(SafeFileHandle file)
    {
        if (_unavailable) return null;
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return Take((int)file.DangerousGetHandle(), "", AtEmptyPath);
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    /// <summary>The stamp of the block file at <paramref name="path"/>; null when it cannot be taken.</summary>
    public static BlockFileStamp? Of(string path) => _unavailable ? null : Take(AtFdCwd, path, 0);

    private static unsafe BlockFileStamp? Take(int directory, string path, int flags)
    {
        byte* buffer = stackalloc byte[StatxBytes];
        int result;
        try { result = Statx(directory, path, flags, StatxBasicStats, buffer); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return null;
        }
        if (result != 0) return null;
        var bytes = new ReadOnlySpan<byte>(buffer, StatxBytes);
        // struct statx: stx_ino at 32, stx_size at 40, stx_ctime at 96, stx_mtime at 112 ({ i64 sec; u32 nsec; i32 pad }).
        return new BlockFileStamp(
            MemoryMarshal.Read<ulong>(bytes[32..]), MemoryMarshal.Read<long>(bytes[40..]),
            MemoryMarshal.Read<long>(bytes[96..]), MemoryMarshal.Read<uint>(bytes[104..]),
            MemoryMarshal.Read<long>(bytes[112..]), MemoryMarshal.Read<uint>(bytes[120..]));
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern unsafe int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
