namespace OrleansSync.Grains.Cells;

/// <summary>Cell behaviour settings (configuration section <c>OrleansSync:Cells</c>).</summary>
public sealed class CellOptions
{
    public const string Section = "OrleansSync:Cells";

    /// <summary>How long a subscription lasts without renewal.</summary>
    public TimeSpan SubscriptionLease { get; set; } = TimeSpan.FromMinutes(2);
}
