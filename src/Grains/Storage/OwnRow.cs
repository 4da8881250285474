using Orleans.Storage;

namespace OrleansSync.Grains.Storage;

/// <summary>
/// A grain's own state row, the one <c>[PersistentState]</c> would give it, read when the grain asks instead of on
/// activation: a grain that can tell it has nothing stored yet (a first write is refused by the ETag if a row is there)
/// saves a read per activation.
/// </summary>
public sealed class OwnRow<T>(IGrainStorage storage, string stateName, GrainId grainId) : IPersistentState<T> where T : new()
{
    private readonly GrainState<T> _row = new(new T());

    public T State
    {
        get => _row.State ??= new T();
        set => _row.State = value;
    }

    public string? Etag => _row.ETag;

    public bool RecordExists => _row.RecordExists;

    public Task ReadStateAsync() => storage.ReadStateAsync(stateName, grainId, _row);

    public Task WriteStateAsync() => storage.WriteStateAsync(stateName, grainId, _row);

    public async Task ClearStateAsync()
    {
        await storage.ClearStateAsync(stateName, grainId, _row);
        _row.State = new T();
    }
}
