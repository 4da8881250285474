namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// A token bucket: <c>perSecond</c> messages on average, up to <c>burst</c> at once. One per connection, used by its
/// read loop only.
/// </summary>
public sealed class MessageRate(int perSecond, int burst, long startTicks)
{
    private double _tokens = burst;
    private long _at = startTicks;

    /// <summary>Takes one message's token at <paramref name="nowTicks"/> (<see cref="TimeSpan"/> ticks); false when the bucket is empty.</summary>
    public bool TryTake(long nowTicks)
    {
        _tokens = Math.Min(burst, _tokens + (nowTicks - _at) / (double)TimeSpan.TicksPerSecond * perSecond);
        _at = nowTicks;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
