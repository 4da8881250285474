using OrleansSync.Propagation;

namespace OrleansSync.Grains.Propagators;

/// <summary>
/// This machine's propagator implementations by name: the built-ins, overridden by whatever the silo
/// registered (<see cref="PropagatorServiceCollectionExtensions.AddPropagator"/>).
/// </summary>
public sealed class PropagatorCatalog
{
    private readonly Dictionary<string, IPropagatorImplementation> _byName = new(StringComparer.Ordinal);

    public PropagatorCatalog(IEnumerable<IPropagatorImplementation> registered)
    {
        foreach (var builtIn in BuiltInPropagators.All) _byName[builtIn.Name] = builtIn;
        foreach (var own in registered) _byName[own.Name] = own;
    }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public IPropagatorImplementation? Find(string name) => _byName.GetValueOrDefault(name);
}
