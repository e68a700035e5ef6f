using System.Text.Json.Nodes;

namespace SharpPxe.TryBoot;

/// <summary>Everything one <c>sharppxe try</c> run needs, decided before anything is made.</summary>
/// <param name="Firmware">The VM's firmware.</param>
/// <param name="Mac">The VM's MAC.</param>
/// <param name="ServerConfig">The server's configuration (<see cref="TryConfiguration.ServerConfig"/>).</param>
/// <param name="ServerCommand">How to start this sharppxe: its program, and the DLL when run through dotnet.</param>
/// <param name="WorkDirectory">A directory of this run (config, leases, serial socket); the caller removes it.</param>
/// <param name="Timeout">How long the boot may take.</param>
/// <param name="Hints">The machine and how to explain its boot.</param>
/// <param name="Source">Where the boot rules and files come from, for the header.</param>
public sealed record TryPlan(
    TryFirmware Firmware,
    string Mac,
    JsonObject ServerConfig,
    IReadOnlyList<string> ServerCommand,
    string WorkDirectory,
    TimeSpan Timeout,
    TryHints Hints,
    string Source);
