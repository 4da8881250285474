namespace OrleansSync.Gun;

/// <summary>
/// Writes the first put to a Gun node that no activation holds, straight to storage: no activation is made for a
/// node that nobody reads or watches. Offered by the silo where every Gun node is placed, to a relay in that process.
/// </summary>
public interface IGunNodeCreator
{
    /// <summary>
    /// True once <paramref name="delta"/> is stored as the node's first write, every key accepted (durable, as a
    /// grain's put). False when it must go to the node's grain instead, having stored nothing: an activation holds the
    /// node, a row is already there, or HAM would not take every key as it would against an empty node.
    /// </summary>
    Task<bool> TryCreate(GunNodeDelta delta);
}
