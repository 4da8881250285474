using Orleans.Concurrency;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Search;

namespace OrleansSync.Premises;

/// <summary>
/// One search: the ambs that share contradictions, their nogoods and choices, keyed by the id of the amb it started
/// with. Ambs start in a search of their own; a contradiction that involves ambs of several searches merges them
/// into one (the others forward to it), so independent networks search independently and concurrently. Decisions
/// are taken when the network's propagation is quiescent, from the contradictions present then: a search does not
/// depend on the order in which reports arrive, so it is deterministic.
/// </summary>
[Alias("OrleansSync.ISearchGrain")]
public interface ISearchGrain : IGrainWithStringKey
{
    /// <summary>Starts the search of a new amb (this grain's key) and chooses its first unblocked choice.</summary>
    [Alias("RegisterAmb")]
    Task RegisterAmb(AmbChoice amb, string network);

    /// <summary>A cell's strongest value is this contradiction (or, when null, no longer one) as of <paramref name="stamp"/>.</summary>
    [Alias("Report")]
    Task Report(string cellId, CellStamp stamp, Contradiction? contradiction, IReadOnlyList<string> ambs, string network);

    /// <summary>An ordinary premise one of this search's nogoods mentions changed its belief.</summary>
    [Alias("PremiseChanged")]
    Task PremiseChanged(string premise, string network);

    /// <summary>Called when the network's propagation is quiescent: learn from the contradictions present and choose again.</summary>
    [Alias("Decide")]
    Task Decide();

    /// <summary>The search this one was merged into (itself if none), following forwards.</summary>
    [AlwaysInterleave, Alias("Root")]
    Task<string> Root();

    /// <summary>
    /// Merges this search into <paramref name="into"/>: returns everything it knows and forwards from now on; null when
    /// another search took it over first. Only a search with a smaller key asks, so two searches never wait on each other.
    /// </summary>
    // Interleaves: the search being taken over may itself be waiting for the one taking it over to do so.
    [AlwaysInterleave, Alias("HandOver")]
    Task<SearchState?> HandOver(string into);

    /// <summary>
    /// These ambs share a contradiction: their searches become one (the smallest key takes the others over) before the
    /// contradiction is reported, so every decision is taken by a search that holds everything it concerns.
    /// </summary>
    [Alias("Unite")]
    Task Unite(IReadOnlyList<string> ambs);

    [Alias("GetStatistics")]
    Task<SearchStatistics> GetStatistics();
}

/// <summary>What a search knows, handed over when it is merged into another.</summary>
[GenerateSerializer, Immutable, Alias("os.search-state")]
public sealed record SearchState(
    [property: Id(0)] IReadOnlyList<AmbChoice> Ambs,
    [property: Id(1)] IReadOnlyList<PremiseSet> Nogoods,
    [property: Id(2)] IReadOnlyList<string> KickedOut,
    [property: Id(3)] IReadOnlyList<ReportedContradiction> Contradictions,
    [property: Id(4)] SearchStatistics Statistics,
    [property: Id(5)] string Network,
    [property: Id(6)] IReadOnlyList<string> Exhausted,
    [property: Id(7)] IReadOnlyList<string> Handled);

/// <summary>A cell's latest report to a search: a contradiction (null once it cleared), and whether the search learned from it.</summary>
[GenerateSerializer, Immutable, Alias("os.reported-contradiction")]
public sealed record ReportedContradiction(
    [property: Id(0)] string CellId,
    [property: Id(1)] CellStamp Stamp,
    [property: Id(2)] Contradiction? Contradiction,
    [property: Id(3)] IReadOnlyList<string> Ambs,
    [property: Id(4)] bool Handled);
