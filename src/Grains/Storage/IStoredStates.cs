using OrleansSync.Compaction;

namespace OrleansSync.Grains.Storage;

/// <summary>
/// One stored grain state: the grain's string key (unescaped, see <see cref="StorageKeys"/>; null for rows an earlier
/// version stored under a key that looked like a number, whose string storage did not keep) and its JSON payload.
/// </summary>
public sealed record StoredState(string? Key, byte[] Payload);

/// <summary>
/// The stored rows themselves, read past the grains: Orleans cannot enumerate grains, and compaction has to
/// see every cell — including the idle ones that are not activated — without activating a million of them.
/// </summary>
public interface IStoredStates
{
    /// <summary>Every row stored under <paramref name="stateName"/> for this service, streamed.</summary>
    IAsyncEnumerable<StoredState> ReadAllAsync(string stateName, CancellationToken cancellationToken = default);

    Task<StorageSize> MeasureAsync(CancellationToken cancellationToken = default);
}
