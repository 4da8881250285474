using Orleans.Concurrency;
using OrleansSync.Cells;
using OrleansSync.Lattice;
using OrleansSync.Search;

namespace OrleansSync.Premises;

/// <summary>
/// One network's board (keyed by <see cref="KeyOf"/> of the network id; "" is the default network): the contradictions its cells hold now
/// and the ambs its searches could not satisfy, and how much searching it took. What one network reports never
/// appears in another's quiescence report. It holds only what is current: a resolved contradiction is removed.
/// </summary>
[Alias("OrleansSync.INetworkGrain")]
public interface INetworkGrain : IGrainWithStringKey
{
    private const string KeyPrefix = "net:";

    /// <summary>The grain key of a network's board (grain keys cannot be empty, and the default network's id is "").</summary>
    static string KeyOf(string network) => KeyPrefix + network;

    /// <summary>The network a board's key is for.</summary>
    static string NetworkOf(string key) => key[KeyPrefix.Length..];

    /// <summary>
    /// A cell's strongest value is this contradiction (null: no longer one) as of <paramref name="stamp"/>; the
    /// report goes on to the search of <paramref name="ambs"/> (the ambs whose choices the nogood mentions), if any.
    /// </summary>
    [Alias("Report")]
    Task Report(string cellId, CellStamp stamp, Contradiction? contradiction, IReadOnlyList<string> ambs);

    /// <summary>No choice of the amb is consistent with what is believed (<paramref name="nogood"/>), or, when null, it is again.</summary>
    [Alias("Exhausted")]
    Task Exhausted(string ambId, PremiseSet? nogood);

    [Alias("AddStatistics")]
    Task AddStatistics(SearchStatistics delta);

    [AlwaysInterleave, Alias("GetReport")]
    Task<NetworkReport> GetReport();
}

/// <summary>A network's current contradictions and its search statistics.</summary>
[GenerateSerializer, Immutable, Alias("os.network-report")]
public sealed record NetworkReport([property: Id(0)] IReadOnlyList<ContradictionRecord> Contradictions, [property: Id(1)] SearchStatistics Search)
{
    public override string ToString() =>
        $"contradictions: {(Contradictions.Count == 0 ? "none" : string.Join("; ", Contradictions))}; search: {Search}";
}

/// <summary>
/// A contradiction a network holds now. <see cref="Unresolvable"/> means its nogood holds no hypothetical premise
/// (or a search ran out of choices): only the caller can fix it, by retracting a premise.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.contradiction-record")]
public sealed record ContradictionRecord(
    [property: Id(0)] string Source,
    [property: Id(1)] string Reason,
    [property: Id(2)] PremiseSet Nogood,
    [property: Id(3)] bool Unresolvable);
