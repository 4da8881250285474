namespace OrleansSync.Cells;

/// <summary>Whether a premise is believed, as of the premise's own <paramref name="Version"/> of that belief (a newer one wins).</summary>
public readonly record struct Belief(bool In, long Version)
{
    /// <summary>What a cell assumes of a premise it has not heard from yet: premises are believed unless kicked out.</summary>
    public static Belief Unknown { get; } = new(true, -1);
}
