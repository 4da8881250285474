namespace OrleansSync.Lattice;

/// <summary>
/// Which premises are believed. Premises are in unless kicked out, as in Radul and Sussman's TMS;
/// a worldview is a value so a strongest value can be derived for any of them without mutation.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.worldview")]
public sealed class Worldview(PremiseSet kickedOut)
{
    public static readonly Worldview AllIn = new(PremiseSet.Empty);

    [Id(0)] internal readonly PremiseSet _kickedOut = kickedOut;

    public PremiseSet KickedOut => _kickedOut;

    public bool Believes(PremiseSet support) => KickedOut.Count == 0 || !support.Items.Any(KickedOut.Contains);

    public Worldview KickOut(string premise) => new(KickedOut.Union(PremiseSet.Of(premise)));

    public Worldview BringIn(string premise) => new(PremiseSet.Of(KickedOut.Items.Where(p => p != premise)));
}
