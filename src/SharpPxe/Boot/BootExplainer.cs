using System.Globalization;
using System.Text;
using SharpPxe.Config;
using SharpPxe.Tftp;

namespace SharpPxe.Boot;

/// <summary>
/// What `sharppxe explain` prints: the rule that matches a client and what each stage would serve it — the
/// DHCP reply's boot fields, the file TFTP would send (or the error), the HTTP path — and, for a client that is
/// handed iPXE, the same again for the iPXE that it chain-loads.
/// </summary>
public static class BootExplainer
{
    private const string IpxeUserClass = "iPXE";

    public static string Explain(SharpPxeOptions options, BootRequest request)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        var bindings = new Dictionary<string, StaticBinding>(StringComparer.Ordinal);
        if (options.Dhcp.StaticConfig.Length > 0)
        {
            bindings = new Dictionary<string, StaticBinding>(
                StaticBindingFile.Load(options.Dhcp.StaticConfig, []), StringComparer.Ordinal);
        }

        var policy = new BootPolicy(options, bindings, BootPolicy.NetbootDirectoryProbe(options.NetbootDir));
        var text = new StringBuilder();
        if (!options.IsExplicit("dhcp.fileServer"))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"note:   without --dhcp-fileserver the server names its own address on the client's interface "
                + $"where this shows {options.Dhcp.FileServer}");
        }

        BootDecision decision = Describe(text, options, policy, request);
        bool handedIpxe = !policy.Context.IsIpxe(request) && decision.BootFile is { } file
            && SystemIpxe.Names.Contains(Path.GetFileName(file), StringComparer.Ordinal);
        if (handedIpxe)
        {
            text.AppendLine();
            text.AppendLine("then iPXE, chain-loaded, asks again with user class iPXE:");
            Describe(text, options, policy, request with { UserClasses = [IpxeUserClass] });
        }

        return text.ToString();
    }

    private static BootDecision Describe(
        StringBuilder text, SharpPxeOptions options, BootPolicy policy, BootRequest request)
    {
        string arch = request.Architecture is { } code
            ? $"{code.ToString(CultureInfo.InvariantCulture)} ({ClientArchitecture.Name(code)})"
            : "none";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"client: mac {request.Mac}, arch {arch}, user class {Or(string.Join(",", request.UserClasses))}, "
            + $"vendor class {Or(request.VendorClass)}");
        BootDecision decision = policy.Decide(request);
        string kind = policy.Rules.OfType<ConfiguredBootRule>().Any(r => r.Name == decision.Rule)
            ? "configured" : "built-in";
        text.AppendLine(CultureInfo.InvariantCulture, $"rule:   {decision.Rule} ({kind})");

        var dhcp = new StringBuilder($"file {Or(decision.BootFile)}, next server {decision.NextServer}");
        if (decision.HttpClient)
        {
            dhcp.Append(", option 60 HTTPClient");
        }

        foreach ((byte option, byte[] value) in decision.ExtraOptions)
        {
            dhcp.Append(CultureInfo.InvariantCulture, $", option {option} = {Convert.ToHexStringLower(value)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"DHCP:   {dhcp}");
        string? file = decision.BootFile;
        if (file is null)
        {
            text.AppendLine("TFTP:   -");
            text.AppendLine("HTTP:   -");
        }
        else if (file.StartsWith("http://", StringComparison.Ordinal))
        {
            string path = new Uri(file).AbsolutePath.TrimStart('/');
            text.AppendLine("TFTP:   -");
            text.AppendLine(CultureInfo.InvariantCulture, $"HTTP:   GET /{path} -> {Where(options, path)}");
        }
        else
        {
            string name = file.StartsWith("tftp://", StringComparison.Ordinal)
                ? new Uri(file).AbsolutePath.TrimStart('/')
                : file;
            text.AppendLine(CultureInfo.InvariantCulture, $"TFTP:   RRQ {name} -> {Where(options, name)}");
            text.AppendLine("HTTP:   -");
        }

        return decision;
    }

    /// <summary>Where a requested name would come from, or why it would fail.</summary>
    private static string Where(SharpPxeOptions options, string name)
    {
        if (name.StartsWith(ConfiguredBootRule.GeneratedScriptPrefix, StringComparison.Ordinal))
        {
            return "a script SharpPXE writes for the rule's kernel, initrds and command line";
        }

        var files = new NetbootFiles(options.NetbootDir, options.Tftp.CaseInsensitive);
        return files.Resolve(name, out string path) switch
        {
            NetbootPathResult.Found when name.EndsWith(".ipxe", StringComparison.Ordinal) =>
                $"{path} (an iPXE script; {{{{placeholders}}}} are filled in per machine)",
            NetbootPathResult.Found => path,
            NetbootPathResult.AccessViolation => "refused: outside the netboot directory (TFTP ERROR 2, HTTP 403)",
            _ => SystemIpxe.Find(name) is { } system
                ? $"{system} (the system's iPXE package)"
                : $"MISSING: not in {Path.GetFullPath(options.NetbootDir)} (TFTP ERROR 1, HTTP 404)",
        };
    }

    private static string Or(string? text) => string.IsNullOrEmpty(text) ? "-" : text;
}
