using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSync.Cells;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// A cell: merges increments into its full content, stores the result before acknowledging, and
/// notifies subscribers of each change. Reads are served from the last stored snapshot, so they
/// interleave with a merge in progress and never see state that is not yet durable.
/// </summary>
[GrainType("cell")]
public sealed partial class CellGrain(
    [PersistentState("cell", CellStorage.ProviderName)] IPersistentState<CellState> state,
    MergeRegistry registry,
    IOptions<CellOptions> options,
    ILogger<CellGrain> logger) : Grain, ICellGrain
{
    private readonly Dictionary<GrainId, Subscriber> _subscribers = [];
    private CellSnapshot _stored = null!;

    private TimeSpan Lease => options.Value.SubscriptionLease;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists) state.State.CreatedAt = state.State.UpdatedAt = DateTimeOffset.UtcNow;
        _stored = Snapshot();
        var until = DateTimeOffset.UtcNow + Lease;
        foreach (var id in state.State.Subscribers.ToArray())
        {
            try
            {
                var grainId = GrainId.Parse(id);
                _subscribers[grainId] = new Subscriber(GrainFactory.GetGrain<ICellObserver>(grainId), until);
            }
            catch (Exception error) when (error is FormatException or ArgumentException)
            {
                // A damaged subscriber entry must not make the cell unusable; it is dropped with the next write.
                LogBadSubscriber(error, this.GetPrimaryKeyString(), id);
                state.State.Subscribers.Remove(id);
            }
        }
        return Task.CompletedTask;
    }

    public async Task<MergeResult> Merge(PartialInfo increment)
    {
        ArgumentNullException.ThrowIfNull(increment);
        var before = state.State.Content;
        var merged = registry.Merge(before, increment);
        if (ReferenceEquals(merged, before)) return new MergeResult(false, _stored.Strongest, _stored.Metadata.Version);

        await Write(s =>
        {
            s.Content = merged;
            s.Version++;
            s.UpdatedAt = DateTimeOffset.UtcNow;
        });
        if (_stored.Strongest.IsContradiction) LogContradiction(_stored.Metadata.Id, _stored.Strongest);
        Notify(new CellChange(_stored.Metadata.Id, _stored.Metadata.Version, _stored.Strongest, _stored.Metadata.UpdatedAt));
        return new MergeResult(true, _stored.Strongest, _stored.Metadata.Version);
    }

    public async Task<CellMetadata> Describe(string name, CellKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown cell kind.");
        if (state.RecordExists && state.State.Name == name && state.State.Kind == kind) return _stored.Metadata;
        await Write(s =>
        {
            s.Name = name;
            s.Kind = kind;
        });
        return _stored.Metadata;
    }

    public Task<PartialInfo> GetContent() => Task.FromResult(_stored.Content);

    public Task<PartialInfo> GetStrongest() => Task.FromResult(_stored.Strongest);

    public Task<CellMetadata> GetMetadata() => Task.FromResult(_stored.Metadata);

    public Task<CellSnapshot> GetSnapshot() => Task.FromResult(_stored);

    public async Task<SubscriptionGrant> Subscribe(ICellObserver observer)
    {
        var id = observer.GetGrainId();
        var isNew = !_subscribers.ContainsKey(id);
        _subscribers[id] = new Subscriber(observer, DateTimeOffset.UtcNow + Lease);
        if (isNew || !state.State.Subscribers.Contains(id.ToString())) await StoreSubscribers();
        return new SubscriptionGrant(_stored, Lease);
    }

    public async Task Unsubscribe(ICellObserver observer)
    {
        if (_subscribers.Remove(observer.GetGrainId())) await StoreSubscribers();
    }

    private Task StoreSubscribers()
    {
        var ids = _subscribers.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal).ToList();
        return Write(s => s.Subscribers = ids);
    }

    /// <summary>Applies a change and stores it; on a storage failure the change is undone and the error surfaces.</summary>
    private async Task Write(Action<CellState> change)
    {
        var previous = Copy(state.State);
        change(state.State);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception error)
        {
            state.State = previous;
            LogWriteFailed(error, this.GetPrimaryKeyString());
            throw;
        }
        _stored = Snapshot();
    }

    private void Notify(CellChange change)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, subscriber) in _subscribers.ToArray())
        {
            if (subscriber.Until < now)
            {
                // Dropped here and from storage with the next write: expiry needs no write of its own.
                _subscribers.Remove(id);
                state.State.Subscribers.Remove(id.ToString());
                continue;
            }
            try
            {
                subscriber.Observer.CellChanged(change);
            }
            catch (Exception error)
            {
                LogNotifyFailed(error, change.CellId, id);
            }
        }
    }

    private CellSnapshot Snapshot()
    {
        var s = state.State;
        var metadata = new CellMetadata(this.GetPrimaryKeyString(), s.Name, s.Kind, s.Version, s.CreatedAt, s.UpdatedAt);
        // Metadata and subscriber writes leave the content as it was: keep its strongest value.
        var strongest = ReferenceEquals(s.Content, _stored?.Content) ? _stored.Strongest : s.Content.Strongest(Worldview.AllIn, registry);
        return new CellSnapshot(metadata, s.Content, strongest);
    }

    private static CellState Copy(CellState s) => new()
    {
        Name = s.Name,
        Kind = s.Kind,
        Version = s.Version,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        Content = s.Content,
        Subscribers = [.. s.Subscribers],
    };

    private sealed record Subscriber(ICellObserver Observer, DateTimeOffset Until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} holds a contradiction: {Contradiction}")]
    private partial void LogContradiction(string cellId, PartialInfo contradiction);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing cell {CellId} failed; the change was not applied")]
    private partial void LogWriteFailed(Exception error, string cellId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} dropped an unreadable stored subscriber id {Subscriber}")]
    private partial void LogBadSubscriber(Exception error, string cellId, string subscriber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying subscriber {Subscriber} of cell {CellId} failed")]
    private partial void LogNotifyFailed(Exception error, string cellId, GrainId subscriber);
}
