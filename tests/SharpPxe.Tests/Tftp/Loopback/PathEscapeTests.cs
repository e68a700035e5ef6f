namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// Names that try to leave the served root: each gets ERROR 1 or 2 from the transfer's port, never a byte
/// of outside/secret.txt (or of anything else), and never the server's own path.
/// </summary>
public sealed class PathEscapeTests(LoopbackServerFixture server) : IClassFixture<LoopbackServerFixture>
{
    /// <summary>Stands for the absolute path of outside/secret.txt (the scratch directory is made per run).</summary>
    private const string SecretToken = "{secret}";

    /// <summary>Stands for the absolute path of the served root.</summary>
    private const string RootToken = "{root}";

    public static TheoryData<string> EscapingNames => new()
    {
        "../outside/secret.txt",
        "/../outside/secret.txt",
        "..\\outside\\secret.txt",
        "\\..\\outside\\secret.txt",
        "sub/../../outside/secret.txt",
        "./../outside/secret.txt",
        "/etc/passwd",
        SecretToken,
        RootToken + "/../outside/secret.txt",
        LoopbackCorpus.LinkOut,
        "/" + LoopbackCorpus.LinkOut,
        "%2e%2e/outside/secret.txt",
        "%2E%2E%2Foutside%2Fsecret.txt",
        "..%2f..%2foutside%2fsecret.txt",
        LoopbackCorpus.LinkOut + "%00.bin",
    };

    [Theory]
    [MemberData(nameof(EscapingNames))]
    public async Task Request_NameOutsideRoot_GetsError1Or2AndNoContent(string name)
    {
        name = name.Replace(SecretToken, LoopbackCorpus.SecretPath, StringComparison.Ordinal)
            .Replace(RootToken, LoopbackCorpus.Root, StringComparison.Ordinal);
        List<WirePacket> replies = await RequestAsync(TftpWire.ReadRequestFor(name, ("tsize", "0")));

        WirePacket reply = Assert.Single(replies);
        Assert.True(reply.IsError, reply.ToString());
        Assert.Contains(reply.Number, new ushort[] { 1, 2 });
        Assert.DoesNotContain(LoopbackCorpus.SecretContent, reply.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(LoopbackCorpus.Root, reply.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside/secret.txt\0" + LoopbackCorpus.OneBlock)]
    [InlineData(LoopbackCorpus.LinkOut + "\0" + LoopbackCorpus.OneBlock)]
    public async Task Request_NulInsideName_EndsTheNameAndGetsAnError(string name)
    {
        // On the wire a NUL ends the file name (RFC 1350 §5), so what follows it is read as the mode: an unknown
        // mode, answered with ERROR 4 by the listener. What matters is that no content of either file leaves.
        List<WirePacket> replies = await RequestAsync(TftpWire.ReadRequestFor(name));

        WirePacket reply = Assert.Single(replies);
        Assert.True(reply.IsError, reply.ToString());
        Assert.Equal(4, reply.Number);
    }

    [Fact]
    public async Task Request_DotDotStayingInsideRoot_IsServed()
    {
        // The control for the escapes: a name with ".." that stays inside the root is served.
        FetchResult result = await ClientThread.Run(() =>
        {
            using var client = new ScriptedTftpClient(server.EndPoint);
            return client.Fetch("sub/../" + LoopbackCorpus.OneBlock, []);
        });

        Assert.Equal(LoopbackCorpus.Sha256Of(LoopbackCorpus.OneBlock), result.Sha256);
    }

    private Task<List<WirePacket>> RequestAsync(byte[] request) => ClientThread.Run(() =>
    {
        using var client = new ScriptedTftpClient(server.EndPoint);
        client.SendToServer(request);
        List<WirePacket> replies = [client.Expect("ERROR")];

        // Anything after the ERROR would be a transfer that should not exist.
        replies.AddRange(client.Drain(TimeSpan.FromMilliseconds(300)));
        return replies;
    });
}
