namespace OrleansSync.Cells;

/// <summary>
/// Orders the states of one cell. <see cref="Version"/> counts content changes and continues from what was stored;
/// <see cref="Incarnation"/> grows with every activation of the cell. Derived contents are written behind, so after a
/// crash a cell may come back at a version it already announced, with different content: the newer incarnation
/// still orders after everything the lost one said.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.cell-stamp")]
public readonly record struct CellStamp([property: Id(0)] long Incarnation, [property: Id(1)] long Version) : IComparable<CellStamp>
{
    public static CellStamp None { get; } = new(-1, -1);

    public int CompareTo(CellStamp other)
    {
        var byIncarnation = Incarnation.CompareTo(other.Incarnation);
        return byIncarnation != 0 ? byIncarnation : Version.CompareTo(other.Version);
    }

    public static bool operator >(CellStamp a, CellStamp b) => a.CompareTo(b) > 0;

    public static bool operator <(CellStamp a, CellStamp b) => a.CompareTo(b) < 0;

    public static bool operator >=(CellStamp a, CellStamp b) => a.CompareTo(b) >= 0;

    public static bool operator <=(CellStamp a, CellStamp b) => a.CompareTo(b) <= 0;

    public override string ToString() => $"{Incarnation}:{Version}";
}
