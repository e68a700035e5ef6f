namespace SharpPxe.TryBoot;

/// <summary>What a line of the server's JSON log means to the timeline.</summary>
public enum TryEventKind
{
    /// <summary>The host's start line: every service listens.</summary>
    ServerReady,

    /// <summary>A warning or error the server logged.</summary>
    ServerProblem,

    /// <summary>A client's DHCP message arrived (Debug, event 1019).</summary>
    DhcpReceived,

    /// <summary>DHCPOFFER sent.</summary>
    DhcpOffer,

    /// <summary>DHCPACK sent.</summary>
    DhcpAck,

    /// <summary>DHCPNAK sent.</summary>
    DhcpNak,

    /// <summary>A TFTP transfer began (Debug, event 1102).</summary>
    TftpStarted,

    /// <summary>A TFTP transfer's progress (Debug, event 1109).</summary>
    TftpProgress,

    /// <summary>A TFTP transfer ended.</summary>
    TftpDone,

    /// <summary>A TFTP request was refused with an ERROR packet.</summary>
    TftpRefused,

    /// <summary>An HTTP request was answered.</summary>
    HttpServed,

    /// <summary>The server saw the last file of the machine's boot script go out.</summary>
    BootDone,
}
