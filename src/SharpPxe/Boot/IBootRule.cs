namespace SharpPxe.Boot;

/// <summary>
/// One rule of the boot policy: the first rule whose <see cref="Matches"/> holds makes the decision. Rules keep no
/// state of their own (everything comes from the request and the <see cref="BootContext"/>), so one instance
/// serves every request on every thread.
/// </summary>
public interface IBootRule
{
    /// <summary>The name that goes into <see cref="BootDecision.Rule"/>: "static", "ipxe-script", ...</summary>
    string Name { get; }

    /// <summary>Whether this rule decides for <paramref name="request"/>.</summary>
    bool Matches(BootRequest request, BootContext context);

    /// <summary>The decision; called only after <see cref="Matches"/> returned true. Never throws.</summary>
    BootDecision Decide(BootRequest request, BootContext context);
}
