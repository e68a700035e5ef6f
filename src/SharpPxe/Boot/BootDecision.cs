using System.Net;

namespace SharpPxe.Boot;

/// <summary>What a client gets told to boot.</summary>
/// <param name="BootFile">The file name or URL for the BOOTP file field and option 67; null means no boot file.</param>
/// <param name="NextServer">siaddr and option 66: the server that serves <paramref name="BootFile"/>.</param>
/// <param name="HttpClient">True for UEFI HTTP boot: the reply carries option 60 "HTTPClient".</param>
/// <param name="Rule">The name of the rule that decided, for logs and `sharppxe explain`.</param>
public sealed record BootDecision(string? BootFile, IPAddress NextServer, bool HttpClient, string Rule)
{
    /// <summary>Extra DHCP options a configured rule adds to the reply, by option code.</summary>
    public IReadOnlyList<KeyValuePair<byte, byte[]>> ExtraOptions { get; init; } = [];
}
