using Microsoft.Extensions.DependencyInjection;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Propagators;

public static class PropagatorServiceCollectionExtensions
{
    /// <summary>Registers a propagator implementation on this silo's machine (it replaces a built-in of the same name).</summary>
    public static IServiceCollection AddPropagator(this IServiceCollection services, IPropagatorImplementation implementation) =>
        services.AddSingleton(implementation);
}
