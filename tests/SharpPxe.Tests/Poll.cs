namespace SharpPxe.Tests;

/// <summary>Waiting for something the server does on its own threads, after the test's request was answered.</summary>
internal static class Poll
{
    /// <summary>
    /// Checks <paramref name="done"/> every 20 ms until it holds or <paramref name="limit"/> has passed.
    /// </summary>
    public static async Task UntilAsync(Func<bool> done, TimeSpan limit)
    {
        using var expiry = new CancellationTokenSource(limit);
        while (!done() && !expiry.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), expiry.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
