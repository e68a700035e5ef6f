namespace SharpPxe.Config;

/// <summary>How log lines are written to stderr.</summary>
public enum LogFormat
{
    /// <summary>One line of text per event.</summary>
    Text,

    /// <summary>One JSON object per line.</summary>
    Json,
}
