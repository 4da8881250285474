using OrleansSync.Lattice;
using OrleansSync.Search;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// One search's row: its ambs, the nogoods it learned, which of its premises are out, the cells' latest reports, its
/// statistics, and — once merged into another search — where it went. It grows with the search (the ambs that share
/// contradictions), never with the rest of the system.
/// </summary>
[GenerateSerializer, Alias("os.search-row")]
public sealed class SearchRow
{
    [Id(0)] public string? MergedInto { get; set; }

    [Id(1)] public string Network { get; set; } = "";

    [Id(2)] public List<AmbChoice> Ambs { get; set; } = [];

    [Id(3)] public List<List<string>> Nogoods { get; set; } = [];

    [Id(4)] public List<string> KickedOut { get; set; } = [];

    [Id(5)] public List<SearchReport> Reports { get; set; } = [];

    [Id(6)] public long ContradictionsHandled { get; set; }

    [Id(7)] public long NogoodsLearned { get; set; }

    [Id(8)] public long ChoicesTried { get; set; }

    [Id(9)] public long Backtracks { get; set; }

    /// <summary>Ambs with no consistent choice, with the nogood that says so.</summary>
    [Id(10)] public Dictionary<string, List<string>> Exhausted { get; set; } = [];

    /// <summary>Ordinary premises in the nogoods that tell this search of their changes.</summary>
    [Id(11)] public List<string> Watching { get; set; } = [];

    /// <summary>The contradictions counted as handled (cell and nogood): one that clears and comes back counts once.</summary>
    [Id(12)] public List<string> Handled { get; set; } = [];
}

/// <summary>A cell's latest report to a search: its contradiction (null once it cleared) as of a stamp, and whether the search learned from it.</summary>
[GenerateSerializer, Alias("os.search-report")]
public sealed class SearchReport
{
    [Id(0)] public string Cell { get; set; } = "";

    [Id(1)] public long Incarnation { get; set; }

    [Id(2)] public long Version { get; set; }

    [Id(3)] public PartialInfo? Contradiction { get; set; }

    [Id(4)] public bool Handled { get; set; }

    /// <summary>The ambs whose choices the contradiction's nogood mentions.</summary>
    [Id(5)] public List<string> Ambs { get; set; } = [];
}
