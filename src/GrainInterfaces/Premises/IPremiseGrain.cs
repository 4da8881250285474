namespace OrleansSync.Premises;

/// <summary>
/// One premise, keyed by name: the cells whose content mentions it (the premise → cells index) and its
/// belief, as pushed by the worldview. A belief change re-evaluates exactly those cells.
/// </summary>
[Alias("OrleansSync.IPremiseGrain")]
public interface IPremiseGrain : IGrainWithStringKey
{
    /// <summary>Adds the cell to the index (once) and returns the current belief.</summary>
    [Alias("Register")]
    Task<PremiseBelief> Register(string cellId);

    /// <summary>The worldview's new belief; older versions are ignored.</summary>
    [Alias("Believe")]
    Task Believe(PremiseBelief belief);
}
