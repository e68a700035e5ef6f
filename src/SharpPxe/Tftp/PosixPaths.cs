using System.Runtime.InteropServices;

namespace SharpPxe.Tftp;

/// <summary>realpath(3), which .NET does not offer: the canonical path with every symbolic link resolved.</summary>
internal static partial class PosixPaths
{
    /// <summary>ENOENT: a component does not exist (Linux errno numbers).</summary>
    public const int NoSuchEntry = 2;

    /// <summary>ENOTDIR: a component that should be a directory is not one.</summary>
    public const int NotADirectory = 20;

    /// <summary>
    /// The real path of <paramref name="path"/>, or null with the errno in <paramref name="error"/> when a
    /// component is missing, unreadable, or part of a symbolic-link loop.
    /// </summary>
    public static string? RealPath(string path, out int error)
    {
        // realpath(3) with a null buffer allocates the result with malloc; it is released with free(3).
        nint resolved = RealPathNative(path, 0);
        if (resolved == 0)
        {
            error = Marshal.GetLastPInvokeError();
            return null;
        }

        try
        {
            error = 0;
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true,
        StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);
}
