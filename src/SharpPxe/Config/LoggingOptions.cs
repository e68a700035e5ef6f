namespace SharpPxe.Config;

/// <summary>The <c>logging</c> section.</summary>
public sealed class LoggingOptions
{
    public LogFormat Format { get; set; } = LogFormat.Text;

    /// <summary>PyPXE's --debug list, e.g. ["all", "-http"].</summary>
    public IReadOnlyList<string> Debug { get; set; } = [];

    /// <summary>PyPXE's --verbose list.</summary>
    public IReadOnlyList<string> Verbose { get; set; } = [];

    public string? SyslogServer { get; set; }

    public int SyslogPort { get; set; } = 514;
}
