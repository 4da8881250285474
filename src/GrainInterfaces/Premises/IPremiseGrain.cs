using Orleans.Concurrency;

namespace OrleansSync.Premises;

/// <summary>
/// One premise, keyed by name: its belief — authoritative and versioned here — and the cells whose content
/// mentions it (the premise → cells index, kept in pages). A belief change re-evaluates exactly those cells, and
/// tells the searches that hold nogoods mentioning the premise. A hypothetical premise (an amb's choice) is
/// believed or not as its search decides; any other premise is believed unless kicked out.
/// </summary>
[Alias("OrleansSync.IPremiseGrain")]
public interface IPremiseGrain : IGrainWithStringKey
{
    /// <summary>Adds the cell to the index (once) and returns the current belief.</summary>
    [Alias("Register")]
    Task<PremiseInfo> Register(string cellId);

    /// <summary>Stops believing the premise; the cells that mention it re-derive on behalf of <paramref name="network"/>.</summary>
    [Alias("KickOut")]
    Task<PremiseInfo> KickOut(string network);

    [Alias("BringIn")]
    Task<PremiseInfo> BringIn(string network);

    [AlwaysInterleave, Alias("GetInfo")]
    Task<PremiseInfo> GetInfo();

    /// <summary>The search of <paramref name="amb"/> decided this hypothetical premise (one of the amb's choices) is (not) believed.</summary>
    [Alias("Choose")]
    Task Choose(string amb, bool believed, string network);

    /// <summary>A search learned a nogood that mentions this premise: it hears of this premise's belief changes.</summary>
    [Alias("WatchedBy")]
    Task WatchedBy(string search);
}

/// <summary>Whether a premise is believed, as of the premise's version <see cref="Version"/> (later versions win).</summary>
[GenerateSerializer, Immutable, Alias("os.premise-belief")]
public sealed record PremiseBelief([property: Id(0)] bool In, [property: Id(1)] long Version);

/// <summary>A premise's belief, and the amb it is a choice of (null for an ordinary premise).</summary>
[GenerateSerializer, Immutable, Alias("os.premise-info")]
public sealed record PremiseInfo([property: Id(0)] string Premise, [property: Id(1)] bool In, [property: Id(2)] long Version, [property: Id(3)] string? Amb)
{
    public PremiseBelief Belief => new(In, Version);
}
