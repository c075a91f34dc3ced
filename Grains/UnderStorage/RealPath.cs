using System.Runtime.InteropServices;

namespace OrleansFs.Grains.UnderStorage;

/// <summary>libc realpath(3): the canonical path with every symlink resolved, or null when it cannot be.</summary>
internal static partial class RealPath
{
    public static string? Resolve(string path)
    {
        IntPtr resolved = Native(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { Free(resolved); }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr Native(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
