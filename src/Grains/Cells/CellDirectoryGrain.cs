using OrleansSync.Cells;
using OrleansSync.Grains.Storage;

namespace OrleansSync.Grains.Cells;

[GenerateSerializer, Alias("os.cell-directory-state")]
public sealed class CellDirectoryState
{
    /// <summary>Newest first, at most <see cref="ICellDirectoryGrain.PerShard"/>.</summary>
    [Id(0)] public List<string> Newest { get; set; } = [];
}

/// <summary>
/// One shard of the listing of recently created cells. Its row is written at most once a second (and on
/// deactivation): a listing is a convenience for browsing, and a crash loses only its last second, never a cell.
/// </summary>
[GrainType("cell-directory")]
public sealed class CellDirectoryGrain : Grain, ICellDirectoryGrain
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(1);

    private GrainRow<CellDirectoryState> _row = null!;
    private List<string> _newest = [];
    private bool _dirty;
    private IGrainTimer? _writer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyLong().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _row = new GrainRow<CellDirectoryState>(CellStorage.Of(ServiceProvider), "cell-directory", "cell-directory", key);
        await _row.ReadAsync();
        _newest = [.. _row.State.Newest];
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await Write();
    }

    public Task Created(string cellId)
    {
        _newest.Remove(cellId);
        _newest.Insert(0, cellId);
        if (_newest.Count > ICellDirectoryGrain.PerShard) _newest.RemoveRange(ICellDirectoryGrain.PerShard, _newest.Count - ICellDirectoryGrain.PerShard);
        Changed();
        return Task.CompletedTask;
    }

    public Task Gone(string cellId)
    {
        if (_newest.Remove(cellId)) Changed();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. _newest]);

    private void Changed()
    {
        _dirty = true;
        _writer ??= this.RegisterGrainTimer(Write, new GrainTimerCreationOptions(WriteEvery, Timeout.InfiniteTimeSpan));
    }

    private async Task Write()
    {
        _writer?.Dispose();
        _writer = null;
        if (!_dirty) return;
        _dirty = false;
        await _row.WriteAsync(new CellDirectoryState { Newest = [.. _newest] });
    }
}
