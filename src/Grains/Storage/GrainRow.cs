using Orleans.Storage;

namespace OrleansSync.Grains.Storage;

/// <summary>
/// One stored row, read and written through the grain storage provider directly (not <c>IPersistentState</c>), so a
/// grain can keep several rows and a silo service can write a grain's row for it. The key is escaped
/// (<see cref="StorageKeys"/>); a row stored under the unescaped key by an earlier version is adopted on read and
/// moved at the next write. Callers serialise their writes; the ETag makes a concurrent writer fail, not win.
/// </summary>
public sealed class GrainRow<T> where T : class, new()
{
    private readonly IGrainStorage _storage;
    private readonly string _stateName;
    private readonly GrainId _id;
    private readonly GrainId? _legacyId;
    private readonly GrainState<T> _row = new(new T());
    private GrainState<T>? _legacy;

    public GrainRow(IGrainStorage storage, string stateName, string grainType, string key)
    {
        _storage = storage;
        _stateName = stateName;
        _id = StorageKeys.For(grainType, key);
        if (StorageKeys.NeedsEscape(key)) _legacyId = GrainId.Create(grainType, key);
    }

    public T State => _row.State ??= new T();

    public bool Exists => _row.RecordExists || _legacy is not null;

    public async Task ReadAsync()
    {
        await _storage.ReadStateAsync(_stateName, _id, _row);
        if (!_row.RecordExists && _legacyId is { } legacyId)
        {
            var legacy = new GrainState<T>(new T());
            await _storage.ReadStateAsync(_stateName, legacyId, legacy);
            if (legacy.RecordExists && legacy.State is not null)
            {
                _row.State = legacy.State;
                _legacy = legacy;
            }
        }
        _row.State ??= new T();
    }

    /// <summary>Stores <paramref name="state"/>; if that fails, the row keeps what it had and the error surfaces.</summary>
    public async Task WriteAsync(T state)
    {
        var previous = _row.State;
        _row.State = state;
        try
        {
            await _storage.WriteStateAsync(_stateName, _id, _row);
        }
        catch
        {
            _row.State = previous;
            throw;
        }
        if (_legacy is { } legacy)
        {
            _legacy = null;
            try
            {
                await _storage.ClearStateAsync(_stateName, _legacyId!.Value, legacy);
            }
            catch (InconsistentStateException)
            {
                // Someone else moved or removed it meanwhile; the escaped row is what counts now.
            }
        }
    }

    public async Task ClearAsync()
    {
        if (_row.RecordExists) await _storage.ClearStateAsync(_stateName, _id, _row);
        if (_legacy is { } legacy)
        {
            _legacy = null;
            await _storage.ClearStateAsync(_stateName, _legacyId!.Value, legacy);
        }
        _row.State = new T();
    }
}
