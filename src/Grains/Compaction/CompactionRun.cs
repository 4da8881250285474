using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansSync.Cells;
using OrleansSync.Compaction;
using OrleansSync.Grains.Cells;
using OrleansSync.Grains.Gun;
using OrleansSync.Grains.Propagators;
using OrleansSync.Grains.Storage;
using OrleansSync.Gun;
using OrleansSync.Graph;
using OrleansSync.Lattice;
using OrleansSync.Machines;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Compaction;

/// <summary>Where a compaction reports its progress: a new phase with its size, and items done in it.</summary>
public interface ICompactionProgress
{
    void Phase(string phase, long total);

    void Advance(long done);
}

/// <summary>
/// One compaction, phase by phase (docs/COMPACTION.md). It reads the stored rows directly — a million idle cells
/// need not be activated to be looked at — marks from the roots, and asks each unreachable cell to archive itself
/// <em>at the version it saw</em>: a cell written since refuses, so a concurrent write is never lost, and an
/// archived cell restores itself whenever it is touched again.
/// </summary>
/// <remarks>
/// Roots are named cells, cells with subscribers, and cells that live propagators read or write. Reachable from a
/// cell are the cells its content refers to: carried-cell children and closure environments.
/// </remarks>
public sealed partial class CompactionRun(
    IStoredStates stored,
    IGrainFactory grains,
    IGrainStorage storage,
    JsonStateSerializer serializer,
    CompactionRequest request,
    DateTimeOffset now,
    ICompactionProgress progress,
    ILogger logger)
{
    private const int Parallelism = 32;
    private const string CellStateName = "cell";
    private const string PropagatorStateName = "propagator";
    private const string GunStateName = GunNodeGrain.StateName;

    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _references = new(StringComparer.Ordinal);
    private readonly HashSet<string> _roots = new(StringComparer.Ordinal);
    private readonly List<string> _forgettable = [];
    private HashSet<string> _marked = [];
    private string _phase = "";
    private readonly IdSample _archivedIds = new(CompactionSamples.Limit), _deletedIds = new(CompactionSamples.Limit),
        _nodeIds = new(CompactionSamples.Limit), _forgottenIds = new(CompactionSamples.Limit);
    private long _changed, _restored, _tombstones, _unreadable;

    public async Task<CompactionSummary> RunAsync()
    {
        var before = await stored.MeasureAsync();
        LogStarted(logger, before.TotalRows, before.TotalPayloadBytes);
        await ScanCells(before.Rows.GetValueOrDefault(CellStateName));
        await ScanPropagators(before.Rows.GetValueOrDefault(PropagatorStateName));
        _marked = Reachability.Mark(_roots, _references);
        await ArchiveUnreachable();
        await ExpireArchive(before.Rows.GetValueOrDefault(ArchivedCell.StateName));
        await ForgetTombstones(before.Rows.GetValueOrDefault(GunStateName) + before.Rows.GetValueOrDefault(GunNodeStore.PageStateName));
        await ForgetDisposedPropagators();
        var after = await stored.MeasureAsync();
        var summary = new CompactionSummary(_versions.Count, _roots.Count, _marked.Count(_versions.ContainsKey), _archivedIds.Count, _changed, _restored,
            _deletedIds.Count, _tombstones, _nodeIds.Count, _forgottenIds.Count, _unreadable, before, after,
            new CompactionSamples(_archivedIds.ToList(), _deletedIds.ToList(), _nodeIds.ToList(), _forgottenIds.ToList()));
        LogFinished(logger, summary.CellsScanned, summary.Archived, summary.KeptBecauseChanged, summary.ArchiveDeleted, summary.TombstonesRemoved, summary.BytesFreed);
        return summary;
    }

    /// <summary>Each cell's version, references, and whether it is a root. What cannot be read is kept (a root).</summary>
    private async Task ScanCells(long total)
    {
        Phase("scan cells", total);
        await foreach (var row in stored.ReadAllAsync(CellStateName))
        {
            progress.Advance(1);
            var cell = Decode<CellState>(row, CellStateName);
            // The row says which cell it is; the storage's key column is only trusted for rows written before it did.
            var id = cell is { Id.Length: > 0 } ? cell.Id : row.Key;
            if (id is null) continue;
            if (cell is null)
            {
                _roots.Add(id);
                continue;
            }
            _versions[id] = cell.Version;
            var references = CellReferences.Of(cell.Content).ToArray();
            if (references.Length > 0) _references[id] = references;
            if (cell.Name.Length > 0 || cell.Subscribers.Count > 0 || cell.Neighbors.Count > 0) _roots.Add(id);
        }
        // Cells that propagators read are roots: their readers are in pages of their own.
        await foreach (var row in stored.ReadAllAsync(CellStore.ReaderState))
        {
            if (row.Key is not { } key || PageKeys.OwnerOf(key) is not { } cell) continue;
            if (Decode<RowPage<string>>(row, CellStore.ReaderState) is { Items.Count: > 0 }) _roots.Add(cell);
        }
    }

    /// <summary>
    /// Live propagators make their cells roots — the cluster's (their rows) and those machines outside the cluster
    /// registered through the gateway (only the registry knows them). Disposed ones past the retention will be forgotten.
    /// </summary>
    private async Task ScanPropagators(long total)
    {
        Phase("scan propagators", total);
        await foreach (var row in stored.ReadAllAsync(PropagatorStateName))
        {
            progress.Advance(1);
            if (row.Key is null || Decode<PropagatorState>(row, PropagatorStateName) is not { Spec: { } spec } propagator) continue;
            if (propagator.DisposedAt is null) _roots.UnionWith(spec.Inputs.Concat(spec.Outputs));
            else if (propagator.DisposedAt < now - request.PropagatorRetention) _forgettable.Add(row.Key);
        }
        var registry = grains.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key);
        foreach (var machine in await registry.GetMachines())
            if (machine.Kind == MachineKind.External)
                foreach (var spec in await registry.GetPropagators(machine.Id))
                    _roots.UnionWith(spec.Inputs.Concat(spec.Outputs));
    }

    private async Task ArchiveUnreachable()
    {
        var garbage = _versions.Keys.Where(id => !_marked.Contains(id)).ToList();
        LogMarked(logger, _versions.Count, _roots.Count, _marked.Count, garbage.Count);
        Phase("archive unreachable cells", garbage.Count);
        await ForEach(garbage, async id =>
        {
            if (await grains.GetGrain<ICellGrain>(id).Archive(_versions[id])) _archivedIds.Add(id);
            else Interlocked.Increment(ref _changed);
        });
    }

    /// <summary>Archived cells that are reachable again are restored (touching a cell restores it); too old ones are deleted.</summary>
    private async Task ExpireArchive(long total)
    {
        Phase("expire archive", total);
        var olderThan = now - request.ArchiveRetention;
        List<string> expired = [], restore = [];
        await foreach (var row in stored.ReadAllAsync(ArchivedCell.StateName))
        {
            progress.Advance(1);
            var archived = Decode<ArchivedCell>(row, ArchivedCell.StateName);
            if ((archived is { Cell.Id.Length: > 0 } ? archived.Cell.Id : row.Key) is not { } id) continue;
            if (_marked.Contains(id) && !_versions.ContainsKey(id)) restore.Add(id);
            else if (archived is not null && archived.ArchivedAt < olderThan) expired.Add(id);
        }
        await ForEach(restore, async id =>
        {
            await grains.GetGrain<ICellGrain>(id).GetMetadata();
            Interlocked.Increment(ref _restored);
        });
        await ForEach(expired, async id =>
        {
            if (await DeleteArchived(id, olderThan)) _deletedIds.Add(id);
        });
    }

    /// <summary>Deletes an archived row if it is still past the retention; a cell restoring itself meanwhile wins.</summary>
    private async Task<bool> DeleteArchived(string id, DateTimeOffset olderThan)
    {
        var archived = new GrainRow<ArchivedCell>(storage, ArchivedCell.StateName, CellStore.GrainType, id);
        await archived.ReadAsync();
        if (!archived.Exists || archived.State.ArchivedAt >= olderThan) return false;
        try
        {
            await archived.ClearAsync();
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    /// <summary>Gun tombstones past the retention; nodes left empty lose their row.</summary>
    private async Task ForgetTombstones(long total)
    {
        Phase("gun tombstones", total);
        var cutoff = GunTombstones.Cutoff(now, request.TombstoneRetention);
        var souls = new HashSet<string>(StringComparer.Ordinal);
        bool Old(Dictionary<string, GunField> fields) => fields.Values.Any(f => f.Value == GunTombstones.Null && f.State < cutoff);
        await foreach (var row in stored.ReadAllAsync(GunStateName))
        {
            progress.Advance(1);
            if (row.Key is { } soul && Decode<GunNodeState>(row, GunStateName) is { } node && Old(node.Fields)) souls.Add(soul);
        }
        // Large nodes keep their keys in pages.
        await foreach (var row in stored.ReadAllAsync(GunNodeStore.PageStateName))
        {
            progress.Advance(1);
            if (row.Key is { } key && PageKeys.OwnerOf(key) is { } soul && Decode<GunNodePage>(row, GunNodeStore.PageStateName) is { } page && Old(page.Fields))
                souls.Add(soul);
        }
        await ForEach([.. souls], async soul =>
        {
            var removal = await grains.GetGrain<IGunNodeGrain>(soul).RemoveTombstones(cutoff);
            Interlocked.Add(ref _tombstones, removal.Removed);
            if (removal.NodeDeleted) _nodeIds.Add(soul);
        });
    }

    private async Task ForgetDisposedPropagators()
    {
        Phase("forget disposed propagators", _forgettable.Count);
        await ForEach(_forgettable, async id =>
        {
            if (await grains.GetGrain<IPropagatorGrain>(id).Forget()) _forgottenIds.Add(id);
        });
    }

    private T? Decode<T>(StoredState row, string stateName) where T : class
    {
        try
        {
            return serializer.Deserialize<T>(new BinaryData(row.Payload));
        }
        catch (Exception error)
        {
            LogUnreadable(logger, error, stateName, row.Key ?? "(a key storage did not keep)");
            Interlocked.Increment(ref _unreadable);
            return null;
        }
    }

    private void Phase(string phase, long total)
    {
        _phase = phase;
        progress.Phase(phase, total);
        LogPhase(logger, phase, total);
    }

    /// <summary>Runs grain calls a few dozen at a time, counting progress; one failure is logged and skipped.</summary>
    private async Task ForEach(IReadOnlyList<string> ids, Func<string, Task> action)
    {
        for (var i = 0; i < ids.Count; i += Parallelism)
        {
            var batch = ids.Skip(i).Take(Parallelism).ToArray();
            await Task.WhenAll(batch.Select(async id =>
            {
                try
                {
                    await action(id);
                }
                catch (Exception error)
                {
                    LogItemFailed(logger, error, _phase, id);
                }
            }));
            progress.Advance(batch.Length);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction started: {Rows} rows, {Bytes} payload bytes")]
    private static partial void LogStarted(ILogger logger, long rows, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction phase {Phase}: {Total} items")]
    private static partial void LogPhase(ILogger logger, string phase, long total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction marked: {Cells} cells, {Roots} roots, {Marked} marked, {Garbage} unreachable")]
    private static partial void LogMarked(ILogger logger, int cells, int roots, int marked, int garbage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction finished: {Cells} cells scanned, {Archived} archived, {Changed} kept (written meanwhile), {ArchiveDeleted} archived cells deleted, {Tombstones} tombstones removed, {BytesFreed} bytes freed")]
    private static partial void LogFinished(ILogger logger, long cells, long archived, long changed, long archiveDeleted, long tombstones, long bytesFreed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compaction could not read stored {StateName} {Key}; it is kept")]
    private static partial void LogUnreadable(ILogger logger, Exception error, string stateName, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compaction step {Phase} failed for {Id}; it is skipped")]
    private static partial void LogItemFailed(ILogger logger, Exception error, string phase, string id);
}
