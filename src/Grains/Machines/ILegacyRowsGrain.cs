namespace OrleansSync.Grains.Machines;

/// <summary>
/// Moves the rows of the earlier cluster-wide registry and worldview into the grains that hold that state now (key
/// <see cref="Key"/>: one activation, so silos starting together move them once). Each silo asks before its machine
/// catches up, so the propagators it catches up include those only the old registry listed.
/// </summary>
[Alias("OrleansSync.ILegacyRowsGrain")]
public interface ILegacyRowsGrain : IGrainWithStringKey
{
    const string Key = "cluster";

    /// <summary>Moves what is left of the old rows (nothing, once moved) and removes them.</summary>
    [Alias("Migrate")]
    Task Migrate();
}
