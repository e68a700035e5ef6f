namespace SharpPxe.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        SharpPxeCli.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariables());
}
