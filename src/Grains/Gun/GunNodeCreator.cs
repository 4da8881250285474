using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansSync.Grains.Storage;
using OrleansSync.Gun;

namespace OrleansSync.Grains.Gun;

/// <summary>
/// Stores the first write to a Gun node that no activation holds, as its grain would (<see cref="GunNodeStore.TryCreateAsync"/>:
/// refused by the ETag if a row is there) but without activating it. A new node costs an activation — placement,
/// directory, the activation and its collection later — worth half the CPU of a put that creates it; most nodes peers
/// create are written once and not read back while active.
/// </summary>
/// <remarks>
/// Only correct where every Gun node is placed (<see cref="GunNodePlacement"/>): <see cref="GunNodeActivations"/> keeps
/// the creates and this process's activations apart, and sees no other process's.
/// </remarks>
public sealed class GunNodeCreator(IServiceProvider services, GunNodeActivations activations, TimeProvider clock) : IGunNodeCreator
{
    private static readonly GrainType NodeType = GrainType.Create(GunNodeGrain.TypeName);
    private readonly IGrainStorage _storage = CellStorage.Of(services);

    public async Task<bool> TryCreate(GunNodeDelta delta)
    {
        if (!GunNodeStore.IsFirstWrite(delta, clock.GetUtcNow().ToUnixTimeMilliseconds())) return false;
        if (!activations.TryBeginCreate(delta.Soul)) return false;
        try
        {
            var store = GunNodeStore.Open(_storage, GrainId.Create(NodeType, delta.Soul), delta.Soul);
            if (!await store.TryCreateAsync(delta.Fields)) return false;
            GrainMetrics.GunNodesCreated.Add(1);
            return true;
        }
        finally
        {
            activations.EndCreate(delta.Soul);
        }
    }
}
