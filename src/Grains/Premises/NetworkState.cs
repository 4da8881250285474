using OrleansSync.Lattice;

namespace OrleansSync.Grains.Premises;

/// <summary>
/// A network's board as stored: the contradictions it holds now (by source: a cell, or <c>amb:{id}</c> for a search
/// that ran out of choices), the stamps of contradictions that cleared recently (so a late report cannot bring one
/// back; pruned after a while), and its search statistics. Nothing here outlives what is current.
/// </summary>
[GenerateSerializer, Alias("os.network-state")]
public sealed class NetworkState
{
    [Id(0)] public Dictionary<string, BoardEntry> Contradictions { get; set; } = [];

    [Id(1)] public Dictionary<string, ClearedEntry> Cleared { get; set; } = [];

    [Id(2)] public long ContradictionsHandled { get; set; }

    [Id(3)] public long NogoodsLearned { get; set; }

    [Id(4)] public long ChoicesTried { get; set; }

    [Id(5)] public long Backtracks { get; set; }
}

[GenerateSerializer, Alias("os.board-entry")]
public sealed class BoardEntry
{
    [Id(0)] public string Reason { get; set; } = "";

    [Id(1)] public List<string> Nogood { get; set; } = [];

    [Id(2)] public bool Unresolvable { get; set; }

    [Id(3)] public long Incarnation { get; set; }

    [Id(4)] public long Version { get; set; }

    /// <summary>The ambs whose search the contradiction went to (its resolution goes there too).</summary>
    [Id(5)] public List<string> Ambs { get; set; } = [];
}

[GenerateSerializer, Alias("os.cleared-entry")]
public sealed class ClearedEntry
{
    [Id(0)] public long Incarnation { get; set; }

    [Id(1)] public long Version { get; set; }

    [Id(2)] public DateTimeOffset At { get; set; }
}
