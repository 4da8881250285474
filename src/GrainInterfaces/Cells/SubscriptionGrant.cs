namespace OrleansSync.Cells;

/// <summary>The answer to a subscription: the cell as it is now, and how long the subscription lasts unless renewed.</summary>
[GenerateSerializer, Immutable, Alias("os.subscription-grant")]
public sealed record SubscriptionGrant(
    [property: Id(0)] CellSnapshot Snapshot,
    [property: Id(1)] TimeSpan Lease);
