using OrleansSync.Grains.Storage;
using OrleansSync.Machines;
using OrleansSync.Propagation;

namespace OrleansSync.Grains.Machines;

/// <summary>The header of a machine shard: its pages, and how many propagators the pages before the last hold.</summary>
[GenerateSerializer, Alias("os.machine-shard-state")]
public sealed class MachineShardState
{
    [Id(0)] public int Pages { get; set; }

    [Id(1)] public long InFullPages { get; set; }
}

/// <summary>
/// One shard of a machine's propagators. Registering appends to the last page (one page written; the header too when
/// a new page opens), unregistering rewrites the page the propagator is on; pages are loaded only when touched, so
/// the shard costs what an operation touches, however many propagators the machine has.
/// </summary>
[GrainType("machine-shard")]
public sealed class MachineShardGrain : Grain, IMachineShardGrain
{
    private const int PageSize = 32;

    private GrainRow<MachineShardState> _row = null!;
    private PagedRows<PropagatorSpec> _pages = null!;
    private long _inLastPage;
    private long _inFullPages;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = CellStorage.Of(ServiceProvider);
        _row = new GrainRow<MachineShardState>(storage, "machine-shard", "machine-shard", Key);
        await _row.ReadAsync();
        _pages = new PagedRows<PropagatorSpec>(storage, "machine-propagators", "machine-shard", Key, PageSize, s => s.Id);
        _pages.Open(_row.State.Pages);
        if (_row.State.Pages > 0) _inLastPage = (await _pages.ReadPageAsync(_row.State.Pages - 1)).Count;
        _inFullPages = _row.State.InFullPages;
    }

    public async Task<int> Register(PropagatorSpec spec)
    {
        if (!_pages.AllLoaded && _pages.PageCount > 1)
        {
            // Once per activation: know every entry, so registering again (a retried attach, an external machine's
            // repeated put) replaces it instead of adding it twice. The count is taken from the pages then.
            var all = await _pages.LoadAllAsync();
            _inLastPage = (await _pages.ReadPageAsync(_pages.PageCount - 1)).Count;
            _inFullPages = all.Count - _inLastPage;
        }
        var known = _pages.Contains(spec.Id);
        var page = await _pages.AddAsync(spec, async pages =>
        {
            // The last page is full: it counts as a full page from now on.
            var full = _inFullPages + (pages > 1 ? _inLastPage : 0);
            await _row.WriteAsync(new MachineShardState { Pages = pages, InFullPages = full });
            _inFullPages = full;
            _inLastPage = 0;
        });
        if (!known && page == _pages.PageCount - 1) _inLastPage++;
        return page;
    }

    public async Task Unregister(string propagatorId, int? page)
    {
        if (await _pages.RemoveAsync(propagatorId, page) is not { } at) return;
        if (at == _pages.PageCount - 1) _inLastPage--;
        else
        {
            var full = Math.Max(0, _inFullPages - 1);
            await _row.WriteAsync(new MachineShardState { Pages = _pages.PageCount, InFullPages = full });
            _inFullPages = full;
        }
    }

    public Task<int> GetPageCount() => Task.FromResult(_pages.PageCount);

    public Task<IReadOnlyList<PropagatorSpec>> GetPage(int page) => _pages.ReadPageAsync(page);

    public Task<long> GetCount() => Task.FromResult(_inFullPages + _inLastPage);
}
