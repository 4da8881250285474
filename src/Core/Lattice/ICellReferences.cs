namespace OrleansSync.Lattice;

/// <summary>
/// Content that refers to other cells (carried cells, closures): what garbage collection follows from a
/// reachable cell, and what a peer can load on demand.
/// </summary>
public interface ICellReferences
{
    IEnumerable<string> ReferencedCells { get; }

    /// <summary>Pairs of cells this content says are the same cell; the cell grain links them with identity propagators.</summary>
    IEnumerable<(string Canonical, string Other)> Unifications { get; }
}

public static class CellReferences
{
    /// <summary>The cells <paramref name="content"/> refers to, looking inside supported values and TMS entries.</summary>
    public static IEnumerable<string> Of(PartialInfo content) => content switch
    {
        ICellReferences references => references.ReferencedCells,
        Supported s => Of(s.Value),
        Tms t => t.Entries.SelectMany(e => Of(e.Value)),
        _ => [],
    };
}
