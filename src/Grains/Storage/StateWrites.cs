namespace OrleansSync.Grains.Storage;

public static class StateWrites
{
    /// <summary>
    /// Stores the grain's state; if storing fails, puts <paramref name="previous"/> back (so what a grain holds
    /// in memory never runs ahead of what is stored), reports the error to <paramref name="failed"/>, and rethrows.
    /// </summary>
    public static async Task WriteOrRestoreAsync<T>(this IPersistentState<T> state, T previous, Action<Exception>? failed = null)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception error)
        {
            state.State = previous;
            failed?.Invoke(error);
            throw;
        }
    }
}
