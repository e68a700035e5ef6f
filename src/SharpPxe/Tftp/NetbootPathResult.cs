namespace SharpPxe.Tftp;

/// <summary>The outcome of <see cref="NetbootFiles.Resolve"/>.</summary>
public enum NetbootPathResult
{
    /// <summary>A regular file inside the root; its real path is returned.</summary>
    Found,

    /// <summary>No such file inside the root, or the name is a directory.</summary>
    NotFound,

    /// <summary>The name is empty, contains a NUL, or leads outside the root.</summary>
    AccessViolation,
}
