using OrleansSync.Lattice;

namespace OrleansSync.Cells;

/// <summary>
/// What one change of a cell asks of whoever hosts the cell, besides keeping the new content: MIT's effectful
/// merge results (cells.scm). The host stores the content, tells subscribers, wakes the cell's propagators when
/// <see cref="StrongestChanged"/>, links the cells in <see cref="Unifications"/>, watches <see cref="NewPremises"/>,
/// and reports <see cref="Nogood"/> or <see cref="Resolved"/> to whoever keeps the contradictions.
/// </summary>
public sealed class CellUpdate
{
    private static readonly IReadOnlyList<(string, string)> NoLinks = [];
    private static readonly IReadOnlyList<string> NoPremises = [];

    internal CellUpdate(bool contentChanged, bool strongestChanged, PartialInfo strongest, IReadOnlyList<(string Canonical, string Other)>? unifications = null,
        IReadOnlyList<string>? newPremises = null, Contradiction? nogood = null, bool resolved = false, CellKind? kind = null)
    {
        ContentChanged = contentChanged;
        StrongestChanged = strongestChanged;
        Strongest = strongest;
        Unifications = unifications ?? NoLinks;
        NewPremises = newPremises ?? NoPremises;
        Nogood = nogood;
        Resolved = resolved;
        Kind = kind;
    }

    public static CellUpdate Unchanged(PartialInfo strongest) => new(false, false, strongest);

    /// <summary>The content changed (a new version to store and announce), or only what it says under the beliefs did.</summary>
    public bool ContentChanged { get; }

    public bool StrongestChanged { get; }

    public bool Changed => ContentChanged || StrongestChanged;

    public PartialInfo Strongest { get; }

    /// <summary>Pairs of cells the content now says are one cell: link them with identity propagators both ways.</summary>
    public IReadOnlyList<(string Canonical, string Other)> Unifications { get; }

    /// <summary>Premises the content mentions for the first time: register with them to learn and follow their belief.</summary>
    public IReadOnlyList<string> NewPremises { get; }

    /// <summary>The strongest value became this contradiction; its premises are a nogood.</summary>
    public Contradiction? Nogood { get; }

    /// <summary>The strongest value stopped being the contradiction reported before.</summary>
    public bool Resolved { get; }

    /// <summary>What the cell is now, when its content says so.</summary>
    public CellKind? Kind { get; }
}
