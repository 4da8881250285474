namespace OrleansSync.TestSupport;

public static class Conditions
{
    /// <summary>
    /// Waits for a condition the system reaches on its own (membership, heartbeats, a reconnecting client, a
    /// closed connection being noticed), checking every 50 ms; a clear <see cref="TimeoutException"/> otherwise.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var expired = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            if (expired.IsCancellationRequested) throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
