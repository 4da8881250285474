namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// A token bucket: <c>perSecond</c> messages on average, up to <c>burst</c> at once. One per connection, used by its
/// read loop only. Time is seconds on a monotonic clock since the connection opened (a wall clock stepping back would
/// empty the bucket).
/// </summary>
public sealed class MessageRate(int perSecond, int burst)
{
    private double _tokens = burst;
    private double _at;

    /// <summary>Takes one message's token at <paramref name="nowSeconds"/>; false when the bucket is empty.</summary>
    public bool TryTake(double nowSeconds)
    {
        _tokens = Math.Min(burst, _tokens + Math.Max(0, nowSeconds - _at) * perSecond);
        _at = Math.Max(_at, nowSeconds);
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
