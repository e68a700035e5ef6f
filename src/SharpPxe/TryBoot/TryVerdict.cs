namespace SharpPxe.TryBoot;

/// <summary>How a <c>sharppxe try</c> run ended.</summary>
/// <param name="Booted">True when the machine booted.</param>
/// <param name="Elapsed">Time from QEMU's start to the verdict.</param>
/// <param name="Summary">For a boot, what showed it; for a failure, the reason.</param>
/// <param name="Step">For a failure, the step that failed, e.g. "TFTP ipxe.efi".</param>
/// <param name="Hint">For a failure, what to do about it; may be null.</param>
public sealed record TryVerdict(bool Booted, TimeSpan Elapsed, string Summary, string? Step, string? Hint)
{
    /// <summary>The exit code: 0 booted, 1 not.</summary>
    public int ExitCode => Booted ? 0 : 1;
}
