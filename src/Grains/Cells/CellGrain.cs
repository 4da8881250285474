using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using OrleansSync.Cells;
using OrleansSync.Grains.Machines;
using OrleansSync.Grains.Propagation;
using OrleansSync.Grains.Storage;
using OrleansSync.Lattice;
using OrleansSync.Premises;
using OrleansSync.Propagation;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// A cell: merges increments into its full content, stores the result before acknowledging, and then
/// tells subscribers and wakes the propagators that read it. Reads are served from the last stored
/// snapshot, so they interleave with a merge in progress and never see state that is not yet durable.
/// </summary>
/// <remarks>
/// The strongest value is derived under the worldview: the cell registers with every premise its content
/// mentions and keeps their beliefs, which the worldview updates through the premise grains. Propagators
/// are woken one-way, and only when the strongest value changed; a cell never waits on a propagator.
/// Cells are placed at random: they are small and are created in bursts (a network, a compaction's restores),
/// and Orleans' default resource-optimized placement sends a whole burst to the silo that looked least loaded
/// at its last statistics sample.
/// </remarks>
[GrainType("cell"), Orleans.Placement.RandomPlacement]
public sealed partial class CellGrain(
    [PersistentState("cell", CellStorage.ProviderName)] IPersistentState<CellState> state,
    MergeRegistry registry,
    IOptions<CellOptions> options,
    MachineDirectory machines,
    PropagationTracker tracker,
    ILogger<CellGrain> logger) : Grain, ICellGrain
{
    private readonly Dictionary<GrainId, Subscriber> _subscribers = [];
    private readonly Dictionary<string, PremiseBelief> _beliefs = new(StringComparer.Ordinal);
    private CellSnapshot _stored = null!;
    private PartialInfo? _reported;

    private TimeSpan Lease => options.Value.SubscriptionLease;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists && !await RestoreFromArchive())
            state.State.CreatedAt = state.State.UpdatedAt = DateTimeOffset.UtcNow;
        await LearnBeliefs(state.State.Content);
        _stored = Snapshot(Derive(state.State.Content));
        // A contradiction stored before a restart was reported then (or will be by the next change).
        if (_stored.Strongest.IsContradiction) _reported = _stored.Strongest;
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
                LogBadSubscriber(error, Id, id);
                state.State.Subscribers.Remove(id);
            }
        }
        // Links are attached after the content is stored; sending them again covers a crash in between.
        Unify(state.State.Content, Nothing.Instance);
    }

    public async Task<MergeResult> Merge(PartialInfo increment)
    {
        ArgumentNullException.ThrowIfNull(increment);
        var before = state.State.Content;
        var merged = registry.Merge(before, increment);
        if (ReferenceEquals(merged, before)) return new MergeResult(false, _stored.Strongest, _stored.Metadata.Version);

        await LearnBeliefs(merged);
        var previous = _stored.Strongest;
        await Write(s =>
        {
            s.Content = merged;
            s.Version++;
            s.UpdatedAt = DateTimeOffset.UtcNow;
            // What the cell holds says what it is; a name given by Describe stays.
            s.Kind = merged switch
            {
                CarriedCell => CellKind.Carried,
                Closure => CellKind.Closure,
                _ => s.Kind,
            };
        }, Derive(merged));
        Announce(previous);
        Unify(merged, before);
        return new MergeResult(true, _stored.Strongest, _stored.Metadata.Version);
    }

    public async Task PremiseChanged(string premise, PremiseBelief belief)
    {
        if (!_beliefs.TryGetValue(premise, out var known) || known.Version >= belief.Version) return;
        _beliefs[premise] = belief;
        var strongest = Derive(state.State.Content);
        if (strongest.Equals(_stored.Strongest)) return;
        // The content is unchanged but what it says is not: a new version, so subscribers see the change.
        var previous = _stored.Strongest;
        await Write(s =>
        {
            s.Version++;
            s.UpdatedAt = DateTimeOffset.UtcNow;
        }, strongest);
        Announce(previous);
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

    public Task<IReadOnlyList<string>> GetNeighbors() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Neighbors]);

    public async Task AddNeighbor(string propagatorId)
    {
        PropagatorIds.MachineOf(propagatorId);
        if (state.State.Neighbors.Contains(propagatorId)) return;
        await Write(s => s.Neighbors = [.. s.Neighbors.Append(propagatorId).Order(StringComparer.Ordinal)]);
    }

    public async Task RemoveNeighbor(string propagatorId)
    {
        if (!state.State.Neighbors.Contains(propagatorId)) return;
        await Write(s => s.Neighbors = [.. s.Neighbors.Where(n => n != propagatorId)]);
    }

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

    public Task<IReadOnlyList<string>> GetReferences() =>
        Task.FromResult<IReadOnlyList<string>>([.. CellReferences.Of(_stored.Content).Distinct(StringComparer.Ordinal)]);

    public async Task Delete()
    {
        if (state.State.Neighbors.Count > 0)
            throw new InvalidOperationException($"Cell '{Id}' is read by {state.State.Neighbors.Count} propagator(s); dispose them before deleting it.");
        if (state.RecordExists) await state.ClearStateAsync();
        _subscribers.Clear();
        // A fresh activation starts from no row; this one's storage version no longer matches anything.
        DeactivateOnIdle();
        LogDeleted(Id);
    }

    public async Task<bool> Archive(long expectedVersion)
    {
        DropExpiredSubscribers();
        var s = state.State;
        if (!state.RecordExists || s.Version != expectedVersion || s.Name.Length > 0 || _subscribers.Count > 0 || s.Neighbors.Count > 0) return false;
        var storage = ArchiveStorage;
        var archived = new GrainState<ArchivedCell>();
        await storage.ReadStateAsync(ArchivedCell.StateName, this.GetGrainId(), archived);
        archived.State = new ArchivedCell { Cell = Copy(s), ArchivedAt = DateTimeOffset.UtcNow };
        await storage.WriteStateAsync(ArchivedCell.StateName, this.GetGrainId(), archived);
        await state.ClearStateAsync();
        DeactivateOnIdle();
        return true;
    }

    /// <summary>A cell with no row of its own that was archived comes back whole: writing to it never starts it from nothing.</summary>
    private async Task<bool> RestoreFromArchive()
    {
        var storage = ArchiveStorage;
        var archived = new GrainState<ArchivedCell>();
        await storage.ReadStateAsync(ArchivedCell.StateName, this.GetGrainId(), archived);
        if (!archived.RecordExists || archived.State is null) return false;
        state.State = archived.State.Cell;
        await state.WriteStateAsync();
        try
        {
            await storage.ClearStateAsync(ArchivedCell.StateName, this.GetGrainId(), archived);
        }
        catch (InconsistentStateException error)
        {
            // Compaction deleted the expired archive row meanwhile; the cell is restored either way.
            LogArchiveGone(error, Id);
        }
        LogRestored(Id, archived.State.ArchivedAt);
        return true;
    }

    private IGrainStorage ArchiveStorage => ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CellStorage.ProviderName);

    /// <summary>Cells bound to one key (or environments of one closure) become one cell: identity links both ways.</summary>
    private void Unify(PartialInfo content, PartialInfo before)
    {
        if (content is not ICellReferences references) return;
        var known = before is ICellReferences old ? old.Unifications.ToHashSet() : [];
        foreach (var (canonical, other) in references.Unifications)
        {
            if (known.Contains((canonical, other))) continue;
            var spec = new PropagatorSpec(PropagatorIds.New(machines.LocalMachine, $"unify/{canonical}={other}"),
                BuiltInPropagators.Sync, [canonical, other], [canonical, other], []);
            var link = GrainFactory.GetGrain<IPropagatorGrain>(spec.Id);
            // One-way: attaching reads this cell, so awaiting it here could wait on ourselves.
            tracker.Send(() => link.Attach(spec), $"unify {canonical} and {other} for {Id}");
        }
    }

    private Task StoreSubscribers()
    {
        var ids = _subscribers.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal).ToList();
        return Write(s => s.Subscribers = ids);
    }

    /// <summary>Registers with the premises the content mentions that this cell does not know yet.</summary>
    private async Task LearnBeliefs(PartialInfo content)
    {
        var unknown = PremisesOf(content).Where(p => !_beliefs.ContainsKey(p)).ToArray();
        if (unknown.Length == 0) return;
        var beliefs = await Task.WhenAll(unknown.Select(p => GrainFactory.GetGrain<IPremiseGrain>(p).Register(Id)));
        for (var i = 0; i < unknown.Length; i++)
            if (!_beliefs.TryGetValue(unknown[i], out var known) || known.Version < beliefs[i].Version) _beliefs[unknown[i]] = beliefs[i];
    }

    private static IEnumerable<string> PremisesOf(PartialInfo content) => content switch
    {
        Supported s => s.Support.Items,
        Tms t => t.Entries.SelectMany(e => e.Support.Items).Distinct(),
        _ => [],
    };

    private PartialInfo Derive(PartialInfo content)
    {
        var kickedOut = _beliefs.Where(b => !b.Value.In).Select(b => b.Key).ToArray();
        return content.Strongest(kickedOut.Length == 0 ? Worldview.AllIn : new Worldview(PremiseSet.Of(kickedOut)), registry);
    }

    /// <summary>Applies a change and stores it; on a storage failure the change is undone and the error surfaces.</summary>
    private async Task Write(Action<CellState> change, PartialInfo? strongest = null)
    {
        var previous = Copy(state.State);
        change(state.State);
        await state.WriteOrRestoreAsync(previous, error => LogWriteFailed(error, Id));
        _stored = Snapshot(strongest ?? _stored.Strongest);
    }

    /// <summary>After a stored change: notify subscribers; if the strongest value changed, wake propagators and keep the worldview informed.</summary>
    private void Announce(PartialInfo previousStrongest)
    {
        var metadata = _stored.Metadata;
        var strongest = _stored.Strongest;
        NotifySubscribers(new CellChange(metadata.Id, metadata.Version, strongest, metadata.UpdatedAt));
        if (strongest.Equals(previousStrongest)) return;
        WakeNeighbors(metadata.Version, strongest);
        ReportToWorldview(strongest, metadata.Version);
    }

    private void WakeNeighbors(long version, PartialInfo strongest)
    {
        if (state.State.Neighbors.Count == 0) return;
        var active = machines.ActiveMachines();
        foreach (var propagatorId in state.State.Neighbors)
        {
            var machine = PropagatorIds.MachineOf(propagatorId);
            // A propagator whose machine is down catches up from current values when the machine returns.
            if (!active.Contains(machine))
            {
                LogMachineDown(Id, propagatorId, machine);
                continue;
            }
            var propagator = GrainFactory.GetGrain<IPropagatorGrain>(propagatorId);
            var cellId = Id;
            tracker.Send(() => propagator.Wake(cellId, version, strongest), $"wake {propagatorId} from {cellId}");
        }
    }

    private void ReportToWorldview(PartialInfo strongest, long version)
    {
        var worldview = GrainFactory.GetGrain<IWorldviewGrain>(IWorldviewGrain.Key);
        var cellId = Id;
        if (strongest is Contradiction contradiction)
        {
            if (contradiction.Equals(_reported)) return;
            LogContradiction(cellId, contradiction);
            _reported = contradiction;
            tracker.Send(() => worldview.ReportContradiction(cellId, version, contradiction), $"contradiction in {cellId}");
        }
        else if (_reported is not null)
        {
            _reported = null;
            tracker.Send(() => worldview.ReportResolved(cellId, version), $"resolution of {cellId}");
        }
    }

    private void DropExpiredSubscribers()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, subscriber) in _subscribers.ToArray())
        {
            if (subscriber.Until >= now) continue;
            // Dropped here and from storage with the next write: expiry needs no write of its own.
            _subscribers.Remove(id);
            state.State.Subscribers.Remove(id.ToString());
        }
    }

    private void NotifySubscribers(CellChange change)
    {
        DropExpiredSubscribers();
        foreach (var (id, subscriber) in _subscribers.ToArray())
        {
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

    private CellSnapshot Snapshot(PartialInfo strongest)
    {
        var s = state.State;
        var metadata = new CellMetadata(Id, s.Name, s.Kind, s.Version, s.CreatedAt, s.UpdatedAt);
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
        Neighbors = [.. s.Neighbors],
    };

    private sealed record Subscriber(ICellObserver Observer, DateTimeOffset Until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} holds a contradiction: {Contradiction}")]
    private partial void LogContradiction(string cellId, PartialInfo contradiction);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing cell {CellId} failed; the change was not applied")]
    private partial void LogWriteFailed(Exception error, string cellId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cell {CellId} dropped an unreadable stored subscriber id {Subscriber}")]
    private partial void LogBadSubscriber(Exception error, string cellId, string subscriber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying subscriber {Subscriber} of cell {CellId} failed")]
    private partial void LogNotifyFailed(Exception error, string cellId, GrainId subscriber);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} was deleted; its row is gone")]
    private partial void LogDeleted(string cellId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The archive row of cell {CellId} was already gone when it was restored")]
    private partial void LogArchiveGone(Exception error, string cellId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cell {CellId} was restored from the archive (archived {ArchivedAt:O})")]
    private partial void LogRestored(string cellId, DateTimeOffset archivedAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cell {CellId} did not wake {PropagatorId}: machine {Machine} is not active")]
    private partial void LogMachineDown(string cellId, string propagatorId, string machine);
}
