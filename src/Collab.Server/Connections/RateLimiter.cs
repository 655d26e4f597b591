namespace Collab.Server.Connections;

/// <summary>A token bucket for one connection's messages; used by that connection's read loop only.</summary>
internal sealed class RateLimiter(double perSecond, int burst, TimeProvider time)
{
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        if (perSecond <= 0)
        {
            return true;
        }

        long now = time.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * perSecond);
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
