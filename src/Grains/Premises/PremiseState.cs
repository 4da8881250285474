namespace OrleansSync.Grains.Premises;

/// <summary>
/// A premise's stored state: its belief and the premise's own version of it, the amb it is a choice of (if any), and
/// how many pages its cells and its watching searches take. The lists are in pages of their own.
/// </summary>
[GenerateSerializer, Alias("os.premise-state")]
public sealed class PremiseState
{
    /// <summary>Rows written before the cells had pages kept them here; they move to pages on activation.</summary>
    [Id(0)] public List<string> Cells { get; set; } = [];

    [Id(1)] public bool In { get; set; } = true;

    [Id(2)] public long Version { get; set; }

    [Id(3)] public string? Amb { get; set; }

    [Id(4)] public int CellPages { get; set; }

    [Id(5)] public int WatcherPages { get; set; }

    public PremiseState Copy() => new() { Cells = [.. Cells], In = In, Version = Version, Amb = Amb, CellPages = CellPages, WatcherPages = WatcherPages };
}
