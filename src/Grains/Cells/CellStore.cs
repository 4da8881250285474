using Orleans.Storage;
using OrleansSync.Grains.Storage;

namespace OrleansSync.Grains.Cells;

/// <summary>
/// Where one cell is stored: its row (<c>cell</c>), the pages of propagators that read it (<c>cell-readers</c>) and
/// write it (<c>cell-writers</c>), and its archive row (<c>cell-archive</c>). Writes of the row are serialised by
/// <see cref="WriteLock"/>: acknowledged merges, metadata and written-behind changes all go through it.
/// </summary>
public sealed class CellStore
{
    public const string GrainType = "cell";
    public const string StateName = "cell";
    public const string ReaderState = "cell-readers";
    public const string WriterState = "cell-writers";
    private const int PageSize = 128;

    private readonly GrainRow<CellState> _row;
    private readonly GrainRow<ArchivedCell> _archive;

    public CellStore(IGrainStorage storage, string id)
    {
        _row = new GrainRow<CellState>(storage, StateName, GrainType, id);
        _archive = new GrainRow<ArchivedCell>(storage, ArchivedCell.StateName, GrainType, id);
        Readers = new PagedRows<string>(storage, ReaderState, GrainType, id, PageSize, p => p);
        Writers = new PagedRows<string>(storage, WriterState, GrainType, id, PageSize, p => p);
    }

    public CellState Row => _row.State;

    public bool Exists => _row.Exists;

    public PagedRows<string> Readers { get; }

    public PagedRows<string> Writers { get; }

    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>Reads the row, or restores it from the archive; returns when the archived cell was restored (null if not).</summary>
    public async Task<DateTimeOffset?> LoadAsync()
    {
        await _row.ReadAsync();
        DateTimeOffset? restored = null;
        if (!_row.Exists)
        {
            await _archive.ReadAsync();
            if (_archive.Exists)
            {
                // A cell with no row of its own that was archived comes back whole: writing to it never starts it from nothing.
                await _row.WriteAsync(_archive.State.Cell);
                restored = _archive.State.ArchivedAt;
                try
                {
                    await _archive.ClearAsync();
                }
                catch (InconsistentStateException)
                {
                    // Compaction deleted the expired archive row meanwhile; the cell is restored either way.
                }
            }
        }
        Readers.Open(_row.State.ReaderPages);
        Writers.Open(_row.State.WriterPages);
        return restored;
    }

    public Task WriteAsync(CellState state) => _row.WriteAsync(state);

    /// <summary>Moves the row to the archive.</summary>
    public async Task ArchiveAsync(CellState state, DateTimeOffset at)
    {
        await _archive.ReadAsync();
        await _archive.WriteAsync(new ArchivedCell { Cell = state, ArchivedAt = at });
        await DeleteAsync();
    }

    /// <summary>Removes the row and the pages.</summary>
    public async Task DeleteAsync()
    {
        await Readers.DeleteAllAsync();
        await Writers.DeleteAllAsync();
        await _row.ClearAsync();
    }
}
