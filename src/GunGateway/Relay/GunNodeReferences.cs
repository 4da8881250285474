using OrleansSync.Gun;

namespace OrleansSync.GunGateway.Relay;

/// <summary>
/// References to Gun node grains, one per soul. Orleans' <c>GetGrain&lt;T&gt;(key)</c> looks the interface up through
/// its attributes on every call, which under load took a twentieth of the gateway's time; the grain and interface
/// types are looked up once (on first use: a client learns them from the cluster) and each reference is made from them.
/// </summary>
public sealed class GunNodeReferences(IGrainFactory grains)
{
    // A reference, so that a reader sees both types or neither.
    private Types? _types;

    public IGunNodeGrain this[string soul]
    {
        get
        {
            if (Volatile.Read(ref _types) is not { } types)
            {
                var reference = (GrainReference)grains.GetGrain<IGunNodeGrain>(soul);
                Volatile.Write(ref _types, new Types(reference.GrainId.Type, reference.InterfaceType));
                return (IGunNodeGrain)reference;
            }
            return (IGunNodeGrain)grains.GetGrain(GrainId.Create(types.Grain, soul), types.Interface);
        }
    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);
}
