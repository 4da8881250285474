using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansSync.Cells;
using OrleansSync.Compaction;
using OrleansSync.Grains.Cells;
using OrleansSync.Grains.Gun;
using OrleansSync.Grains.Propagators;
using OrleansSync.Grains.Storage;
using OrleansSync.Gun;
using OrleansSync.Lattice;
using OrleansSync.Lattice.Json;
using OrleansSync.Propagators;

namespace OrleansSync.Grains.Compaction;

/// <summary>
/// Runs compaction in the background of one activation. It reads the stored rows directly (a million idle
/// cells need not be activated to be looked at), marks from the roots, and then asks each unreachable cell to
/// archive itself <em>at the version compaction saw</em>: a cell written since refuses, so a concurrent write
/// is never lost, and an archived cell restores itself whenever it is touched again.
/// </summary>
/// <remarks>
/// Roots are named cells, cells with subscribers, and cells that live propagators read or write. Reachable
/// from a cell are the cells its content refers to: carried-cell children and closure environments.
/// </remarks>
[GrainType("compaction")]
public sealed partial class CompactionGrain(
    PartialInfoCodec codec,
    TimeProvider clock,
    ILogger<CompactionGrain> logger) : Grain, ICompactionGrain
{
    private const int Parallelism = 32;

    private CompactionStatus _status = CompactionStatus.NeverRun;
    private Task? _run;

    public Task<CompactionStatus> Start(CompactionRequest request)
    {
        request.Validate();
        if (_run is { IsCompleted: false }) return Task.FromResult(_status);
        var stored = ServiceProvider.GetService<IStoredStates>()
            ?? throw new InvalidOperationException("This silo's storage cannot be enumerated (in-memory storage): compaction needs SQLite or PostgreSQL.");
        _status = new CompactionStatus("starting", true, 0, 0, clock.GetUtcNow(), null, null, null);
        // Stays active while it runs; the work continues on this activation between other requests.
        DelayDeactivation(TimeSpan.FromDays(1));
        _run = Run(stored, request);
        return Task.FromResult(_status);
    }

    public Task<CompactionStatus> GetStatus() => Task.FromResult(_status);

    private async Task Run(IStoredStates stored, CompactionRequest request)
    {
        try
        {
            await Compact(stored, request);
        }
        catch (Exception error)
        {
            LogFailed(error);
            _status = _status with { Running = false, FinishedAt = clock.GetUtcNow(), Error = error.Message };
        }
        finally
        {
            DelayDeactivation(TimeSpan.FromMinutes(10));
        }
    }

    private async Task Compact(IStoredStates stored, CompactionRequest request)
    {
        var serializer = new JsonStateSerializer(codec);
        var now = clock.GetUtcNow();
        var before = await stored.MeasureAsync();
        LogStarted(before.TotalRows, before.TotalPayloadBytes);

        // Scan cells: version, references, and whether each is a root.
        Phase("scan cells", before.Rows.GetValueOrDefault(CellStateName));
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var references = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var roots = new HashSet<string>(StringComparer.Ordinal);
        long unreadable = 0;
        await foreach (var row in stored.ReadAllAsync(CellStateName))
        {
            Progress();
            CellState cell;
            try
            {
                cell = serializer.Deserialize<CellState>(new BinaryData(row.Payload));
            }
            catch (Exception error)
            {
                // Never collect what cannot be read.
                LogUnreadable(error, CellStateName, row.Key);
                unreadable++;
                roots.Add(row.Key);
                continue;
            }
            versions[row.Key] = cell.Version;
            var refs = CellReferences.Of(cell.Content).ToArray();
            if (refs.Length > 0) references[row.Key] = refs;
            if (cell.Name.Length > 0 || cell.Subscribers.Count > 0 || cell.Neighbors.Count > 0) roots.Add(row.Key);
        }

        // Live propagators make their cells roots; disposed ones past the retention are forgotten.
        Phase("scan propagators", before.Rows.GetValueOrDefault(PropagatorStateName));
        var forgettable = new List<string>();
        await foreach (var row in stored.ReadAllAsync(PropagatorStateName))
        {
            Progress();
            PropagatorState propagator;
            try
            {
                propagator = serializer.Deserialize<PropagatorState>(new BinaryData(row.Payload));
            }
            catch (Exception error)
            {
                LogUnreadable(error, PropagatorStateName, row.Key);
                unreadable++;
                continue;
            }
            if (propagator.Spec is not { } spec) continue;
            if (propagator.DisposedAt is null) roots.UnionWith(spec.Inputs.Concat(spec.Outputs));
            else if (propagator.DisposedAt < now - request.PropagatorRetention) forgettable.Add(row.Key);
        }

        var marked = Reachability.Mark(roots, references);
        var garbage = versions.Keys.Where(id => !marked.Contains(id)).ToList();
        LogMarked(versions.Count, roots.Count, marked.Count, garbage.Count);

        Phase("archive unreachable cells", garbage.Count);
        long archived = 0, changed = 0;
        await ForEach(garbage, async id =>
        {
            if (await GrainFactory.GetGrain<ICellGrain>(id).Archive(versions[id])) Interlocked.Increment(ref archived);
            else Interlocked.Increment(ref changed);
        });

        // Archived cells: reachable again -> restore (touching a cell restores it); too old -> delete.
        Phase("expire archive", before.Rows.GetValueOrDefault(ArchivedCell.StateName));
        var expired = new List<string>();
        var restore = new List<string>();
        await foreach (var row in stored.ReadAllAsync(ArchivedCell.StateName))
        {
            Progress();
            if (marked.Contains(row.Key) && !versions.ContainsKey(row.Key)) restore.Add(row.Key);
            else if (Archived(serializer, row) is { } at && at < now - request.ArchiveRetention) expired.Add(row.Key);
        }
        long restored = 0, archiveDeleted = 0;
        await ForEach(restore, async id =>
        {
            await GrainFactory.GetGrain<ICellGrain>(id).GetMetadata();
            Interlocked.Increment(ref restored);
        });
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CellStorage.ProviderName);
        await ForEach(expired, async id =>
        {
            if (await DeleteArchived(storage, id, now - request.ArchiveRetention)) Interlocked.Increment(ref archiveDeleted);
        });

        // Gun tombstones past the retention; nodes left empty lose their row.
        Phase("gun tombstones", before.Rows.GetValueOrDefault(GunStateName));
        var cutoff = GunTombstones.Cutoff(now, request.TombstoneRetention);
        var withOldTombstones = new List<string>();
        await foreach (var row in stored.ReadAllAsync(GunStateName))
        {
            Progress();
            try
            {
                var node = serializer.Deserialize<GunNodeState>(new BinaryData(row.Payload));
                if (node.Fields.Values.Any(f => f.Value == GunTombstones.Null && f.State < cutoff)) withOldTombstones.Add(row.Key);
            }
            catch (Exception error)
            {
                LogUnreadable(error, GunStateName, row.Key);
                unreadable++;
            }
        }
        long tombstones = 0, nodesDeleted = 0;
        await ForEach(withOldTombstones, async soul =>
        {
            var removal = await GrainFactory.GetGrain<IGunNodeGrain>(soul).RemoveTombstones(cutoff);
            Interlocked.Add(ref tombstones, removal.Removed);
            if (removal.NodeDeleted) Interlocked.Increment(ref nodesDeleted);
        });

        Phase("forget disposed propagators", forgettable.Count);
        long forgotten = 0;
        await ForEach(forgettable, async id =>
        {
            if (await GrainFactory.GetGrain<IPropagatorGrain>(id).Forget()) Interlocked.Increment(ref forgotten);
        });

        var after = await stored.MeasureAsync();
        var summary = new CompactionSummary(versions.Count, roots.Count, marked.Count(versions.ContainsKey), archived, changed, restored,
            archiveDeleted, tombstones, nodesDeleted, forgotten, unreadable, before, after);
        _status = _status with { Phase = "done", Running = false, FinishedAt = clock.GetUtcNow(), Summary = summary };
        LogFinished(summary.CellsScanned, summary.Archived, summary.KeptBecauseChanged, summary.ArchiveDeleted, summary.TombstonesRemoved, summary.BytesFreed);
    }

    private const string CellStateName = "cell";
    private const string PropagatorStateName = "propagator";
    private const string GunStateName = "gun";

    private DateTimeOffset? Archived(JsonStateSerializer serializer, StoredState row)
    {
        try
        {
            return serializer.Deserialize<ArchivedCell>(new BinaryData(row.Payload)).ArchivedAt;
        }
        catch (Exception error)
        {
            LogUnreadable(error, ArchivedCell.StateName, row.Key);
            return null;
        }
    }

    /// <summary>Deletes an archived row if it is still past the retention; a cell restoring itself meanwhile wins.</summary>
    private async Task<bool> DeleteArchived(IGrainStorage storage, string id, DateTimeOffset olderThan)
    {
        var grainId = GrainId.Create("cell", id);
        var archived = new GrainState<ArchivedCell>();
        await storage.ReadStateAsync(ArchivedCell.StateName, grainId, archived);
        if (!archived.RecordExists || archived.State is null || archived.State.ArchivedAt >= olderThan) return false;
        try
        {
            await storage.ClearStateAsync(ArchivedCell.StateName, grainId, archived);
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    private void Phase(string phase, long total)
    {
        _status = _status with { Phase = phase, Done = 0, Total = total };
        LogPhase(phase, total);
    }

    private void Progress() => _status = _status with { Done = _status.Done + 1 };

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
                    LogItemFailed(error, _status.Phase, id);
                }
            }));
            _status = _status with { Done = _status.Done + batch.Length };
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction started: {Rows} rows, {Bytes} payload bytes")]
    private partial void LogStarted(long rows, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction phase {Phase}: {Total} items")]
    private partial void LogPhase(string phase, long total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction marked: {Cells} cells, {Roots} roots, {Marked} marked, {Garbage} unreachable")]
    private partial void LogMarked(int cells, int roots, int marked, int garbage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compaction finished: {Cells} cells scanned, {Archived} archived, {Changed} kept (written meanwhile), {ArchiveDeleted} archived cells deleted, {Tombstones} tombstones removed, {BytesFreed} bytes freed")]
    private partial void LogFinished(long cells, long archived, long changed, long archiveDeleted, long tombstones, long bytesFreed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compaction could not read stored {StateName} {Key}; it is kept")]
    private partial void LogUnreadable(Exception error, string stateName, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compaction step {Phase} failed for {Id}; it is skipped")]
    private partial void LogItemFailed(Exception error, string phase, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Compaction failed")]
    private partial void LogFailed(Exception error);
}
