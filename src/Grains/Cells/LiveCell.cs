using OrleansSync.Cells;
using OrleansSync.Grains.Propagation;
using OrleansSync.Lattice;
using OrleansSync.Premises;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// The cell of an active cell grain, in memory and shared with its silo's scheduler: merges from clients (through the
/// grain, acknowledged once durable) and from propagators (derived, written behind) meet here under one lock. The
/// rules are the core's (<see cref="CellContent"/>); what a change asks for — wakes, notifications, reports, links,
/// the write behind — is carried out by <see cref="CellEffects"/>, outside the lock.
/// </summary>
/// <remarks>
/// Reads see the newest content, derived parts included: those are recomputable from what clients told, which is
/// durable. An acknowledged merge is stored before it is applied, so a failed write changes nothing.
/// </remarks>
public sealed class LiveCell
{
    private readonly Lock _gate = new();
    private readonly MergeRegistry _registry;
    private readonly CellStore _store;
    private readonly CellEffects _effects;
    private readonly CellContent _content;
    private readonly Dictionary<string, string?> _ambOf = new(StringComparer.Ordinal);
    private readonly HashSet<NetworkCounters> _pendingWrites = [];
    private string _name;
    private CellKind _kind;
    private long _version;
    private readonly long _incarnation;
    private readonly DateTimeOffset _createdAt;
    private DateTimeOffset _updatedAt;
    private long _changes;
    private long _storedChanges;
    private readonly List<string> _readers;
    private readonly List<string> _writers;
    // What the scheduler iterates: rebuilt after a change, at the next wake (which touches every reader anyway).
    private string[]? _readerSnapshot;
    private volatile CellSnapshot _snapshot;
    private string? _reportedTo;
    private bool _closed;
    private bool _broken;
    private bool _queuedForWrite;
    // Readers a row written before readers had pages kept inline: stored with the row until they are all in pages.
    private List<string> _inlineReaders = [];

    public LiveCell(string id, CellState row, long incarnation, IReadOnlyList<string> readers, IReadOnlyList<string> writers,
        IEnumerable<PremiseInfo> premises, MergeRegistry registry, CellStore store, CellEffects effects, CellSubscriptions subscriptions,
        Action broken)
    {
        _onBroken = broken;
        _inlineReaders = [.. row.Neighbors];
        Id = id;
        _registry = registry;
        _store = store;
        _effects = effects;
        Subscriptions = subscriptions;
        foreach (var premise in premises) _ambOf[premise.Premise] = premise.Amb;
        _content = new CellContent(registry, row.Content, premises.Select(p => KeyValuePair.Create(p.Premise, new Belief(p.In, p.Version))));
        _name = row.Name;
        _kind = row.Kind;
        _version = row.Version;
        _incarnation = incarnation;
        _createdAt = row.CreatedAt;
        _updatedAt = row.UpdatedAt;
        _readers = [.. readers];
        _writers = [.. writers];
        _snapshot = Snapshot();
    }

    private readonly Action _onBroken;

    public string Id { get; }

    /// <summary>Closing: merges go to the next activation.</summary>
    public bool Closed
    {
        get
        {
            lock (_gate) return _closed;
        }
    }

    /// <summary>Storage refused a write as stale (another writer got there): this activation must go, and the next one reads the row again.</summary>
    public bool Broken
    {
        get
        {
            lock (_gate) return _broken;
        }
    }

    public CellSubscriptions Subscriptions { get; }

    public CellSnapshot Current => _snapshot;

    public IReadOnlyList<string> Readers
    {
        get
        {
            var snapshot = _readerSnapshot;
            if (snapshot is not null) return snapshot;
            lock (_gate) return _readerSnapshot ??= [.. _readers];
        }
    }

    public IReadOnlyList<string> Writers
    {
        get
        {
            lock (_gate) return [.. _writers];
        }
    }

    /// <summary>The links the content asks for (sent again on activation: a crash may have come between storing and linking).</summary>
    public IEnumerable<(string Canonical, string Other)> Unifications
    {
        get
        {
            lock (_gate) return [.. _content.Unifications];
        }
    }

    /// <summary>
    /// A client's increment: stored with the content before it is applied, then announced. Returns once durable.
    /// Serialised with every other write of the row; merges from the scheduler may interleave and are kept.
    /// </summary>
    public async Task<MergeResult> MergeAcknowledgedAsync(PartialInfo increment, NetworkCounters counters, string network)
    {
        ArgumentNullException.ThrowIfNull(increment);
        await LearnAsync(Unknown(increment), counters, network);
        await _store.WriteLock.WaitAsync();
        CellUpdate update;
        CellSnapshot snapshot;
        bool dirty;
        try
        {
            CellState row;
            long snapshotChanges;
            lock (_gate)
            {
                var merged = _registry.Merge(_content.Content, increment);
                if (ReferenceEquals(merged, _content.Content)) return new MergeResult(false, _snapshot.Strongest, _version);
                row = Row(merged, _version + 1, DateTimeOffset.UtcNow, merged.Kind ?? _kind);
                snapshotChanges = _changes;
            }
            await Store(row);
            lock (_gate)
            {
                update = _content.Merge(increment);
                if (update.Changed) Advance(update, contentChanged: true);
                // Nothing else changed while the row was written: memory and storage agree.
                if (_changes == snapshotChanges + (update.Changed ? 1 : 0)) _storedChanges = _changes;
                else _storedChanges = Math.Max(_storedChanges, snapshotChanges);
                dirty = _storedChanges < _changes;
                snapshot = _snapshot;
            }
        }
        finally
        {
            _store.WriteLock.Release();
        }
        if (update.Changed) _effects.Announce(this, update, snapshot, counters, network, dirty);
        return new MergeResult(update.Changed, snapshot.Strongest, snapshot.Metadata.Version);
    }

    /// <summary>
    /// A propagator's result, applied at once and written behind. False when this cell is closing (the caller sends
    /// it to the grain instead). New premises are learned first, asynchronously, counted as work of the network.
    /// </summary>
    /// <remarks>
    /// <paramref name="inline"/>: the merge came in a message from another silo, and the first propagator it wakes here
    /// may run on this thread at once (no further hop). Never for a client's merge: a slow implementation would delay its
    /// acknowledgement.
    /// </remarks>
    public bool TryMergeDerived(PartialInfo increment, NetworkCounters counters, string network, bool inline = false)
    {
        CellUpdate update;
        CellSnapshot snapshot;
        lock (_gate)
        {
            if (_closed) return false;
            var unknown = _content.Unknown(increment);
            if (unknown.Count > 0)
            {
                counters.Start();
                _ = LearnThenMerge(increment, unknown, counters, network);
                return true;
            }
            update = _content.Merge(increment);
            GrainMetrics.Merges.Add(1, new KeyValuePair<string, object?>("source", "derived"), new KeyValuePair<string, object?>("changed", update.Changed));
            if (!update.Changed) return true;
            Advance(update, contentChanged: update.ContentChanged);
            snapshot = _snapshot;
        }
        _effects.Announce(this, update, snapshot, counters, network, dirty: true, inline);
        return true;
    }

    private async Task LearnThenMerge(PartialInfo increment, IReadOnlyList<string> premises, NetworkCounters counters, string network)
    {
        try
        {
            await LearnAsync(premises, counters, network);
            if (!TryMergeDerived(increment, counters, network)) _effects.MergeElsewhere(Id, increment, counters, network);
        }
        catch (Exception error)
        {
            _effects.LogLearnFailed(error, Id);
            _effects.MergeElsewhere(Id, increment, counters, network);
        }
        finally
        {
            counters.Finish();
        }
    }

    /// <summary>A premise the content mentions changed its belief, on behalf of <paramref name="network"/>.</summary>
    public void Believe(string premise, PremiseBelief belief, NetworkCounters counters, string network)
    {
        CellUpdate update;
        CellSnapshot snapshot;
        lock (_gate)
        {
            // A closed cell's next activation learns the beliefs again when it registers with its premises.
            if (_closed) return;
            update = _content.Believe(premise, new Belief(belief.In, belief.Version));
            if (!update.Changed) return;
            // The content is unchanged but what it says is not: a new version, so subscribers see the change.
            Advance(update, contentChanged: false);
            snapshot = _snapshot;
        }
        _effects.Announce(this, update, snapshot, counters, network, dirty: true);
    }

    /// <summary>Registers with premises the cell does not know yet and learns their beliefs (and which are amb choices).</summary>
    public async Task LearnAsync(IReadOnlyList<string> premises, NetworkCounters counters, string network)
    {
        if (premises.Count == 0) return;
        var infos = await _effects.RegisterWithPremises(Id, premises);
        foreach (var info in infos)
        {
            CellUpdate update;
            CellSnapshot snapshot;
            lock (_gate)
            {
                _ambOf[info.Premise] = info.Amb;
                // Usually the content does not mention it yet (it is in the increment about to be merged); if it
                // does, what the content says may change, and that is announced like any belief change.
                update = _content.Believe(info.Premise, new Belief(info.In, info.Version));
                if (!update.Changed) continue;
                Advance(update, contentChanged: false);
                snapshot = _snapshot;
            }
            _effects.Announce(this, update, snapshot, counters, network, dirty: true);
        }
    }

    /// <summary>Premises the increment mentions that this cell has not learned yet.</summary>
    public IReadOnlyList<string> Unknown(PartialInfo increment)
    {
        lock (_gate) return _content.Unknown(increment);
    }

    /// <summary>The ambs whose choices a nogood mentions (what its search is).</summary>
    public IReadOnlyList<string> AmbsOf(Contradiction nogood)
    {
        lock (_gate)
            return [.. nogood.Premises.Items.Select(p => _ambOf.GetValueOrDefault(p)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Where the current contradiction was reported (its resolution goes there too); set when one is reported.</summary>
    public string ReportTarget(CellUpdate update, string network)
    {
        lock (_gate)
        {
            if (update.Nogood is not null) return _reportedTo = network;
            var target = _reportedTo ?? network;
            if (update.Resolved) _reportedTo = null;
            return target;
        }
    }

    public Task DescribeAsync(string name, CellKind kind) => WriteMetadataAsync(() =>
    {
        var (oldName, oldKind) = (_name, _kind);
        (_name, _kind) = (name, kind);
        return () => (_name, _kind) = (oldName, oldKind);
    });

    public bool Described(string name, CellKind kind)
    {
        lock (_gate) return _store.Exists && _name == name && _kind == kind;
    }

    public async Task AddReaderAsync(string propagatorId)
    {
        if (_store.Readers.Contains(propagatorId)) return;
        await _store.Readers.AddAsync(propagatorId, pages => WriteMetadataAsync(() => null, s => s.ReaderPages = pages));
        lock (_gate)
        {
            _readers.Add(propagatorId);
            _readerSnapshot = null;
        }
    }

    public async Task RemoveReaderAsync(string propagatorId)
    {
        if (await _store.Readers.RemoveAsync(propagatorId) is null) return;
        lock (_gate)
        {
            _readers.Remove(propagatorId);
            _readerSnapshot = null;
        }
    }

    public async Task AddWriterAsync(string propagatorId)
    {
        if (_store.Writers.Contains(propagatorId)) return;
        await _store.Writers.AddAsync(propagatorId, pages => WriteMetadataAsync(() => null, s => s.WriterPages = pages));
        lock (_gate) _writers.Add(propagatorId);
    }

    public async Task RemoveWriterAsync(string propagatorId)
    {
        if (await _store.Writers.RemoveAsync(propagatorId) is null) return;
        lock (_gate) _writers.Remove(propagatorId);
    }

    /// <summary>Stores the subscriber list when it changed (a new subscriber, or one leaving).</summary>
    public Task StoreSubscribersAsync() => WriteMetadataAsync(() => null);

    /// <summary>
    /// Applies a metadata change and stores the row; if storing fails, the change is undone (the function it returns)
    /// and the error surfaces. <paramref name="row"/> adjusts the row itself (page counts kept by the store).
    /// </summary>
    private async Task WriteMetadataAsync(Func<Action?> change, Action<CellState>? row = null)
    {
        await _store.WriteLock.WaitAsync();
        try
        {
            Action? undo;
            CellState state;
            long changes;
            lock (_gate)
            {
                undo = change();
                state = Row(_content.Content, _version, _updatedAt, _kind);
                changes = _changes;
            }
            row?.Invoke(state);
            try
            {
                await Store(state);
            }
            catch
            {
                if (undo is not null) lock (_gate) undo();
                throw;
            }
            lock (_gate)
            {
                _storedChanges = Math.Max(_storedChanges, changes);
                _snapshot = Snapshot();
            }
        }
        finally
        {
            _store.WriteLock.Release();
        }
    }

    /// <summary>Writes the row; a stale ETag (someone else wrote it) breaks this activation for good, and it asks to go.</summary>
    private async Task Store(CellState state)
    {
        try
        {
            await _store.WriteAsync(state);
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            lock (_gate) _broken = true;
            _onBroken();
            throw;
        }
    }

    /// <summary>Stores whatever is only in memory; returns at once when nothing is.</summary>
    public async Task FlushAsync()
    {
        await _store.WriteLock.WaitAsync();
        try
        {
            CellState state;
            long changes;
            lock (_gate)
            {
                if (_storedChanges >= _changes || _broken) return;
                state = Row(_content.Content, _version, _updatedAt, _kind);
                changes = _changes;
            }
            await Store(state);
            lock (_gate) _storedChanges = Math.Max(_storedChanges, changes);
        }
        finally
        {
            _store.WriteLock.Release();
        }
    }

    /// <summary>Counts a network as waiting for this cell's write behind; true when it was not already.</summary>
    public bool AddPendingWrite(NetworkCounters counters)
    {
        lock (_gate) return _pendingWrites.Add(counters);
    }

    /// <summary>True when the cell was not queued for writing and now is.</summary>
    public bool TryQueueForWrite()
    {
        lock (_gate)
        {
            if (_queuedForWrite) return false;
            _queuedForWrite = true;
            return true;
        }
    }

    /// <summary>Taken off the write queue: the networks waiting for what is about to be written.</summary>
    public NetworkCounters[] BeginWrite()
    {
        lock (_gate)
        {
            _queuedForWrite = false;
            var waiting = _pendingWrites.ToArray();
            _pendingWrites.Clear();
            return waiting;
        }
    }

    /// <summary>
    /// No more merges from the scheduler (they go to the next activation), then what is in memory is stored. Called as
    /// the grain deactivates.
    /// </summary>
    public async Task CloseAsync()
    {
        lock (_gate) _closed = true;
        await FlushAsync();
    }

    public bool CanArchive(long expectedVersion)
    {
        lock (_gate)
            return _store.Exists && _version == expectedVersion && _name.Length == 0 && Subscriptions.Count == 0 && _readers.Count == 0 && _storedChanges >= _changes;
    }

    /// <summary>The row as it would be stored now.</summary>
    public CellState StoredForm()
    {
        lock (_gate) return Row(_content.Content, _version, _updatedAt, _kind);
    }

    private void Advance(CellUpdate update, bool contentChanged)
    {
        _version++;
        _changes++;
        _updatedAt = DateTimeOffset.UtcNow;
        if (contentChanged && update.Kind is { } kind) _kind = kind;
        _snapshot = Snapshot();
    }

    private CellState Row(PartialInfo content, long version, DateTimeOffset updatedAt, CellKind kind) => new()
    {
        Id = Id,
        Name = _name,
        Kind = kind,
        Version = version,
        Incarnation = _incarnation,
        CreatedAt = _createdAt,
        UpdatedAt = updatedAt,
        Content = content,
        Subscribers = Subscriptions.Stored(),
        ReaderPages = _store.Readers.PageCount,
        WriterPages = _store.Writers.PageCount,
        Neighbors = [.. _inlineReaders],
    };

    /// <summary>Rows written before readers had pages kept them inline: they move to pages, and leave the row once all have.</summary>
    public async Task MoveInlineReadersAsync()
    {
        if (_inlineReaders.Count == 0) return;
        foreach (var reader in _inlineReaders.ToArray()) await AddReaderAsync(reader);
        await WriteMetadataAsync(() =>
        {
            var moved = _inlineReaders;
            _inlineReaders = [];
            return () => _inlineReaders = moved;
        });
    }

    private CellSnapshot Snapshot() =>
        new(new CellMetadata(Id, _name, _kind, _version, _createdAt, _updatedAt, _incarnation), _content.Content, _content.Strongest);
}
