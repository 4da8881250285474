namespace OrleansSync.Grains.Cells;

/// <summary>
/// A cell moved out of the working set by compaction: its whole state, kept in the <c>cell-archive</c> rows
/// (the archive namespace) until it is touched again — then it is restored — or the archive retention ends.
/// </summary>
[GenerateSerializer, Alias("os.archived-cell")]
public sealed class ArchivedCell
{
    public const string StateName = "cell-archive";

    [Id(0)] public CellState Cell { get; set; } = new();

    [Id(1)] public DateTimeOffset ArchivedAt { get; set; }
}
