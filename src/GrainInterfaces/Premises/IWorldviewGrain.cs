using Orleans.Concurrency;
using OrleansSync.Lattice;

namespace OrleansSync.Premises;

/// <summary>
/// The cluster-wide worldview (key <see cref="Key"/>): which premises are believed, the nogoods learned
/// from contradictions, the amb choices and the search over them, and the contradictions no retraction can
/// resolve. Belief changes go out through premise grains to exactly the cells whose content mentions the
/// premise.
/// </summary>
[Alias("OrleansSync.IWorldviewGrain")]
public interface IWorldviewGrain : IGrainWithStringKey
{
    const string Key = "worldview";

    [Alias("KickOut")]
    Task<WorldviewSnapshot> KickOut(string premise);

    [Alias("BringIn")]
    Task<WorldviewSnapshot> BringIn(string premise);

    /// <summary>Registers an amb's hypothetical premises (in order of preference) and chooses one of them.</summary>
    [Alias("RegisterAmb")]
    Task RegisterAmb(string ambId, IReadOnlyList<string> premises);

    /// <summary>A cell's strongest value became this contradiction at <paramref name="version"/>; its premises are a nogood.</summary>
    [Alias("ReportContradiction")]
    Task ReportContradiction(string cellId, long version, Contradiction contradiction);

    /// <summary>The cell reported earlier is consistent again as of <paramref name="version"/>.</summary>
    [Alias("ReportResolved")]
    Task ReportResolved(string cellId, long version);

    [AlwaysInterleave, Alias("GetBelief")]
    Task<PremiseBelief> GetBelief(string premise);

    [AlwaysInterleave, Alias("GetSnapshot")]
    Task<WorldviewSnapshot> GetSnapshot();
}

/// <summary>Whether a premise is believed, as of worldview version <see cref="Version"/> (later versions win).</summary>
[GenerateSerializer, Immutable, Alias("os.premise-belief")]
public sealed record PremiseBelief([property: Id(0)] bool In, [property: Id(1)] long Version);

/// <summary>
/// A contradiction the worldview knows of. <see cref="Unresolvable"/> means its nogood holds no
/// hypothetical premise (or a search ran out of choices): only the caller can fix it, by retracting a premise.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.contradiction-record")]
public sealed record ContradictionRecord(
    [property: Id(0)] string Source,
    [property: Id(1)] string Reason,
    [property: Id(2)] PremiseSet Nogood,
    [property: Id(3)] bool Unresolvable);

[GenerateSerializer, Immutable, Alias("os.worldview-snapshot")]
public sealed record WorldviewSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] PremiseSet KickedOut,
    [property: Id(2)] IReadOnlyList<PremiseSet> Nogoods,
    [property: Id(3)] IReadOnlyList<ContradictionRecord> Contradictions);
