using System.Security.Cryptography;
using System.Text;

namespace SharpPxe.Tests.Tftp.Loopback;

/// <summary>
/// The files the loopback tests serve, made once per test run in one scratch directory: root/ is served,
/// outside/ sits next to it and must never be. Contents are pseudo-random from a fixed seed per file, so
/// every run serves the same bytes. Each <see cref="LoopbackServerFixture"/> holds it while it lives; the
/// last one to go removes the directory (and the next one to come makes it again).
/// </summary>
internal static class LoopbackCorpus
{
    public const string Empty = "empty.bin";
    public const string OneBlock = "block-512.bin";
    public const string TwoBlocks = "block-1024.bin";
    public const string Small = "small-2600.bin";
    public const string Window = "window-60000.bin";
    public const string Rollover = "rollover-600000.bin";
    public const string OneMebibyte = "one-mib.bin";
    public const string FortyMebibytes = "forty-mib.bin";
    public const string Text = "text.txt";

    /// <summary>A symbolic link inside root/ to outside/secret.txt.</summary>
    public const string LinkOut = "link-out";

    /// <summary>What outside/secret.txt holds: no reply may ever carry it.</summary>
    public const string SecretContent = "SECRET-OUTSIDE-THE-ROOT";

    private static readonly (string Name, int Size, int Seed)[] s_binaries =
    [
        (Empty, 0, 1),
        (OneBlock, 512, 2),
        (TwoBlocks, 1024, 3),
        (Small, 2600, 4),
        (Window, 60_000, 5),
        (Rollover, 600_000, 6),
        (OneMebibyte, 1 << 20, 7),
        (FortyMebibytes, 40 << 20, 8),
    ];

    private static readonly Lock s_lock = new();
    private static Tree? s_tree;
    private static int s_holders;

    /// <summary>The served directory.</summary>
    public static string Root => Current.Root;

    /// <summary>The absolute path of outside/secret.txt.</summary>
    public static string SecretPath => Current.SecretPath;

    private static Tree Current
    {
        get
        {
            lock (s_lock)
            {
                return s_tree ?? throw new InvalidOperationException("No LoopbackServerFixture holds the corpus.");
            }
        }
    }

    /// <summary>Makes the files if no one holds them yet, and holds them.</summary>
    public static void Acquire()
    {
        lock (s_lock)
        {
            s_tree ??= Create();
            s_holders++;
        }
    }

    /// <summary>Lets go of the files; the last holder removes them.</summary>
    public static void Release()
    {
        lock (s_lock)
        {
            if (--s_holders == 0 && s_tree is not null)
            {
                TryDelete(Path.GetDirectoryName(s_tree.Root)!);
                s_tree = null;
            }
        }
    }

    /// <summary>The absolute path of a served file.</summary>
    public static string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>The SHA-256 of a served file, in lower-case hex.</summary>
    public static string Sha256Of(string name) => Current.Hashes[name];

    /// <summary>The bytes of a served file.</summary>
    public static byte[] BytesOf(string name) => File.ReadAllBytes(PathOf(name));

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Sha256OfFile(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static Tree Create()
    {
        string top = Directory.CreateTempSubdirectory("sharppxe-loopback-").FullName;
        string root = Directory.CreateDirectory(Path.Combine(top, "root")).FullName;
        string outside = Directory.CreateDirectory(Path.Combine(top, "outside")).FullName;
        string secret = Path.Combine(outside, "secret.txt");
        File.WriteAllText(secret, SecretContent);
        File.CreateSymbolicLink(Path.Combine(root, LinkOut), secret);

        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, int size, int seed) in s_binaries)
        {
            byte[] data = new byte[size];
#pragma warning disable CA5394 // Deterministic test data, not security.
            new Random(seed).NextBytes(data);
#pragma warning restore CA5394
            File.WriteAllBytes(Path.Combine(root, name), data);
            hashes[name] = Sha256(data);
        }

        byte[] text = Encoding.ASCII.GetBytes(MakeText());
        File.WriteAllBytes(Path.Combine(root, Text), text);
        hashes[Text] = Sha256(text);
        return new Tree(root, secret, hashes);
    }

    /// <summary>
    /// About 3 KB of text with LF and CRLF line ends and bare CRs, some at the 512-octet block boundaries, so
    /// netascii's CR NUL and CR LF sequences straddle DATA blocks.
    /// </summary>
    private static string MakeText()
    {
        var text = new StringBuilder();
        for (int line = 0; text.Length < 3000; line++)
        {
            text.Append("line ").Append(line).Append(" of the netascii check");
            text.Append((line % 3) switch
            {
                0 => "\n",
                1 => "\r\n",
                _ => "\rbare carriage return\n",
            });
            if (text.Length is > 500 and < 511)
            {
                text.Append('x', 511 - text.Length).Append('\r').Append('\n');
            }
        }

        return text.ToString();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort at process exit.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort at process exit.
        }
    }

    private sealed record Tree(string Root, string SecretPath, IReadOnlyDictionary<string, string> Hashes);
}
