using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using OrleansSync.Cells;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Premises;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// A cell. Its content lives in a <see cref="LiveCell"/> registered with the silo's scheduler, so propagators on this
/// silo read and write it without a message; this grain is how everything else reaches it. Client merges are stored
/// before they are acknowledged; reads are served from memory and never queue behind a write.
/// </summary>
/// <remarks>
/// Cells are placed on the silo of their first caller: a propagator attaching to its cells activates them on its own
/// machine, so its hops stay on the silo (a client's first call places the cell on the gateway silo it reached).
/// </remarks>
[GrainType("cell"), PreferLocalPlacement]
public sealed partial class CellGrain(
    MergeRegistry registry,
    IOptions<CellOptions> options,
    LocalScheduler scheduler,
    CellEffects effects,
    PropagationTracker tracker,
    ILogger<CellGrain> logger) : Grain, ICellGrain
{
    private CellStore _store = null!;
    private LiveCell _cell = null!;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new CellStore(CellStorage.Of(ServiceProvider), Id);
        if (await _store.LoadAsync() is { } archivedAt) LogRestored(Id, archivedAt);
        var row = _store.Row;
        if (!_store.Exists) row.CreatedAt = row.UpdatedAt = DateTimeOffset.UtcNow;
        // Every activation orders after the one before, even if that one's last changes were never stored.
        var incarnation = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), row.Incarnation + 1);
        var readers = await _store.Readers.LoadAllAsync();
        var writers = await _store.Writers.LoadAllAsync();
        var subscriptions = new CellSubscriptions(GrainFactory, options.Value.SubscriptionLease,
            (error, entry) => LogBadSubscriber(error, Id, entry), (error, subscriber) => LogNotifyFailed(error, Id, subscriber));
        subscriptions.Restore(row.Subscribers);
        var premises = await effects.RegisterWithPremises(Id, [.. row.Content.MentionedPremises.Distinct(StringComparer.Ordinal)]);
        var self = this.AsReference<ICellGrain>();
        _cell = new LiveCell(Id, row, incarnation, readers, writers, premises, registry, _store, effects, subscriptions,
            broken: () => self.Flush().Ignore());
        await _cell.MoveInlineReadersAsync();
        scheduler.Register(_cell);
        effects.Relink(Id, _cell.Unifications);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_cell is null) return;
        try
        {
            await _cell.CloseAsync();
        }
        catch (Exception error)
        {
            // Only derived contents can be lost here, and the machines' catch-up recomputes them.
            LogFlushFailed(error, Id);
        }
        finally
        {
            scheduler.Unregister(_cell);
        }
    }

    public Task<MergeResult> Merge(PartialInfo increment) => Merge(increment, "");

    public async Task<MergeResult> Merge(PartialInfo increment, string network)
    {
        try
        {
            var result = await _cell.MergeAcknowledgedAsync(increment, tracker.For(network ?? ""), network ?? "");
            GrainMetrics.Merges.Add(1, new KeyValuePair<string, object?>("source", "told"), new KeyValuePair<string, object?>("changed", result.Changed));
            return result;
        }
        catch (Exception error) when (error is not ArgumentNullException)
        {
            LogWriteFailed(error, Id);
            throw;
        }
    }

    public async Task MergeDerived(PartialInfo increment, string network)
    {
        ArgumentNullException.ThrowIfNull(increment);
        var counters = tracker.For(network ?? "");
        // Learn new premises here, in the grain's turn, so the merge below never has to learn them asynchronously.
        await _cell.LearnAsync(_cell.Unknown(increment), counters, network ?? "");
        if (!_cell.TryMergeDerived(increment, counters, network ?? "", inline: true))
            throw new InvalidOperationException($"Cell '{Id}' is deactivating; merge it again.");
    }

    public async Task<CellMetadata> Describe(string name, CellKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown cell kind.");
        if (!_cell.Described(name, kind)) await _cell.DescribeAsync(name, kind);
        return _cell.Current.Metadata;
    }

    public Task<PartialInfo> GetContent() => Task.FromResult(_cell.Current.Content);

    public Task<PartialInfo> GetStrongest() => Task.FromResult(_cell.Current.Strongest);

    public Task<CellMetadata> GetMetadata() => Task.FromResult(_cell.Current.Metadata);

    public Task<CellSnapshot> GetSnapshot() => Task.FromResult(_cell.Current);

    public Task<IReadOnlyList<string>> GetNeighbors() => Task.FromResult(_cell.Readers);

    public Task<IReadOnlyList<string>> GetWriters() => Task.FromResult(_cell.Writers);

    public Task AddNeighbor(string propagatorId)
    {
        PropagatorIds.MachineOf(propagatorId);
        return _cell.AddReaderAsync(propagatorId);
    }

    public Task RemoveNeighbor(string propagatorId) => _cell.RemoveReaderAsync(propagatorId);

    public Task AddWriter(string propagatorId)
    {
        PropagatorIds.MachineOf(propagatorId);
        return _cell.AddWriterAsync(propagatorId);
    }

    public Task RemoveWriter(string propagatorId) => _cell.RemoveWriterAsync(propagatorId);

    public async Task<SubscriptionGrant> Subscribe(ICellObserver observer)
    {
        if (_cell.Subscriptions.Add(observer)) await _cell.StoreSubscribersAsync();
        return new SubscriptionGrant(_cell.Current, _cell.Subscriptions.Lease);
    }

    public async Task Unsubscribe(ICellObserver observer)
    {
        if (_cell.Subscriptions.Remove(observer)) await _cell.StoreSubscribersAsync();
    }

    public Task<IReadOnlyList<string>> GetReferences() =>
        Task.FromResult<IReadOnlyList<string>>([.. CellReferences.Of(_cell.Current.Content).Distinct(StringComparer.Ordinal)]);

    public async Task Delete()
    {
        if (_cell.Readers.Count > 0)
            throw new InvalidOperationException($"Cell '{Id}' is read by {_cell.Readers.Count} propagator(s); dispose them before deleting it.");
        await CloseAndStore(_store.DeleteAsync);
        _cell.Subscriptions.Clear();
        await effects.Directory(Id).Gone(Id);
        LogDeleted(Id);
    }

    public async Task<bool> Archive(long expectedVersion)
    {
        if (!_cell.CanArchive(expectedVersion)) return false;
        await CloseAndStore(() => _store.ArchiveAsync(_cell.StoredForm(), DateTimeOffset.UtcNow));
        await effects.Directory(Id).Gone(Id);
        return true;
    }

    /// <summary>
    /// Ends this activation's cell (no more merges; what is in memory is stored), then changes its rows. Closed either
    /// way: a fresh activation starts from what storage holds.
    /// </summary>
    private async Task CloseAndStore(Func<Task> change)
    {
        await _cell.CloseAsync();
        scheduler.Unregister(_cell);
        await _store.WriteLock.WaitAsync();
        try
        {
            await change();
        }
        finally
        {
            _store.WriteLock.Release();
            DeactivateOnIdle();
        }
    }

    public Task PremiseChanged(string premise, PremiseBelief belief, string network)
    {
        _cell.Believe(premise, belief, tracker.For(network ?? ""), network ?? "");
        return Task.CompletedTask;
    }

    public Task Flush()
    {
        if (!_cell.Broken) return _cell.FlushAsync();
        // Storage refused a stale write: the next activation reads the row again.
        LogBroken(Id);
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing cell {CellId} failed; the change was not applied")]
    private partial void LogWriteFailed(Exception error, string cellId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} could not store what it held in memory as it deactivated")]
    private partial void LogFlushFailed(Exception error, string cellId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} dropped an unreadable stored subscriber id {Subscriber}")]
    private partial void LogBadSubscriber(Exception error, string cellId, string subscriber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying subscriber {Subscriber} of cell {CellId} failed")]
    private partial void LogNotifyFailed(Exception error, string cellId, GrainId subscriber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId}: storage refused a write as stale; the activation goes and the next reads the row again")]
    private partial void LogBroken(string cellId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} was deleted; its row is gone")]
    private partial void LogDeleted(string cellId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} was restored from the archive (archived {ArchivedAt:O})")]
    private partial void LogRestored(string cellId, DateTimeOffset archivedAt);
}
