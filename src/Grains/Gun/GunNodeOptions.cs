namespace OrleansSync.Grains.Gun;

/// <summary>Gun node settings (configuration section <c>OrleansSync:Gun</c>).</summary>
public sealed class GunNodeOptions
{
    public const string Section = "OrleansSync:Gun";

    /// <summary>Future-state writes one node holds until their time; a put that would hold more is refused.</summary>
    public int MaxPendingWrites { get; set; } = 1000;
}
