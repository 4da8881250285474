using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace OrleansSync.Grains.Gun;

/// <summary>
/// Where Gun nodes are activated: on the home silo when one is set (<see cref="GunNodePlacementOptions.Home"/>), else
/// where Orleans' default placement puts them. A single-host cluster (SQLite, <c>run.sh</c>) sets its primary silo as
/// home, so that its relay can create nodes without activating them (<see cref="GunNodeCreator"/>): every activation
/// that could hold a node is then in the process that makes the creates.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.gun-node-placement")]
public sealed class GunNodePlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class)]
public sealed class GunNodePlacementAttribute() : PlacementAttribute(new GunNodePlacement());

public sealed class GunNodePlacementOptions
{
    /// <summary>The silo endpoint every Gun node is activated on; null for Orleans' default placement.</summary>
    public IPEndPoint? Home { get; set; }
}

public sealed class GunNodePlacementDirector(IOptions<GunNodePlacementOptions> options, IServiceProvider services) : IPlacementDirector
{
    private readonly PlacementStrategy _default = services.GetRequiredService<PlacementStrategy>();
    // Looked up at the first placement, not in the constructor: directors are made while placement itself is set up.
    private IPlacementDirector? _defaultDirector;

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        if (options.Value.Home is not { } home)
        {
            _defaultDirector ??= services.GetRequiredKeyedService<IPlacementDirector>(_default.GetType());
            return _defaultDirector.OnAddActivation(_default, target, context);
        }
        foreach (var silo in context.GetCompatibleSilos(target))
            if (silo.Endpoint.Equals(home)) return Task.FromResult(silo);
        // Never elsewhere: an activation outside the home process could hold a node while the home creates it.
        throw new OrleansException($"The silo at {home}, where Gun nodes are activated, is not active; they cannot be until it returns.");
    }
}
