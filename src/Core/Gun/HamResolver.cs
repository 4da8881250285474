namespace OrleansSync.Gun;

public enum HamOutcome
{
    /// <summary>The incoming value wins: store it and push it.</summary>
    Accept,
    /// <summary>Older than what is known, or a tie it loses: ignore it.</summary>
    Ignore,
    /// <summary>Its state is in the future: hold it until then.</summary>
    Defer,
}

/// <summary>
/// Gun's conflict resolution (HAM, <c>src/root.js: ham</c> in gun 0.2020.1241), per key: a state ahead of
/// the local clock is deferred; an older state loses; a newer one wins; on equal states the larger JSON text
/// wins, compared by UTF-16 code units (JavaScript's <c>&lt;=</c> on strings), and an identical value changes nothing.
/// </summary>
public static class HamResolver
{
    public static HamOutcome Resolve(double incomingState, string incomingValue, GunField? current, double now)
    {
        if (incomingState > now) return HamOutcome.Defer;
        if (current is null) return HamOutcome.Accept;
        if (incomingState < current.State) return HamOutcome.Ignore;
        if (incomingState == current.State && string.CompareOrdinal(incomingValue, current.Value) <= 0) return HamOutcome.Ignore;
        return HamOutcome.Accept;
    }
}
