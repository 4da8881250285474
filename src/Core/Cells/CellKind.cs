namespace OrleansSync.Cells;

/// <summary>What a cell holds: a value, a closure, or references to other cells (a carried cell).</summary>
[GenerateSerializer, Alias("os.cell-kind")]
public enum CellKind
{
    Value = 0,
    Closure = 1,
    Carried = 2,
}
