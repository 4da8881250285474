using Orleans.Storage;

namespace OrleansSync.Grains.Storage;

/// <summary>One page of a <see cref="PagedRows{T}"/>.</summary>
[GenerateSerializer, Alias("os.row-page")]
public sealed class RowPage<T>
{
    [Id(0)] public List<T> Items { get; set; } = [];
}

/// <summary>The keys pages are stored under: <c>{owner}#{page}</c>.</summary>
public static class PageKeys
{
    public static string Of(string owner, int page) => $"{owner}#{page}";

    /// <summary>The owner of a page's key, or null when it is not a page's key.</summary>
    public static string? OwnerOf(string key) => key.LastIndexOf('#') is > 0 and var hash ? key[..hash] : null;
}

/// <summary>
/// A list that belongs to one owner (a cell's readers, a premise's cells, a machine shard's propagators), stored in
/// rows of at most <c>pageSize</c> items under <c>{owner}#{page}</c>: no row grows with the list, adding writes one
/// page, and reading all of it costs what it holds. The owner keeps the page count in its own row (it changes once per
/// page) and serialises calls. Pages are loaded on demand; <see cref="LoadAllAsync"/> loads them all.
/// </summary>
public sealed class PagedRows<T>(IGrainStorage storage, string stateName, string grainType, string owner, int pageSize, Func<T, string> keyOf)
{
    private readonly Dictionary<int, GrainRow<RowPage<T>>> _pages = [];
    private readonly Dictionary<string, int> _pageOf = new(StringComparer.Ordinal);
    private bool _allLoaded;

    public int PageCount { get; private set; }

    public void Open(int pageCount) => PageCount = pageCount;

    public async Task<IReadOnlyList<T>> LoadAllAsync()
    {
        var all = new List<T>();
        for (var page = 0; page < PageCount; page++) all.AddRange(await ReadPageAsync(page));
        _allLoaded = true;
        return all;
    }

    /// <summary>Whether the item is on a page loaded so far (after <see cref="LoadAllAsync"/>: whether it is here at all).</summary>
    public bool Contains(string key) => _pageOf.ContainsKey(key);

    public bool AllLoaded => _allLoaded;

    public async Task<IReadOnlyList<T>> ReadPageAsync(int page)
    {
        if (page < 0 || page >= PageCount) return [];
        var row = await Page(page);
        return row.State.Items;
    }

    /// <summary>
    /// Adds (or replaces) an item: into the page it is on, else the last page, else a new one — whose number is first
    /// stored by <paramref name="pagesChanged"/>, so a crash never leaves a page the owner does not know of.
    /// Returns the page.
    /// </summary>
    public async Task<int> AddAsync(T item, Func<int, Task> pagesChanged, int? knownPage = null)
    {
        var key = keyOf(item);
        if (_pageOf.TryGetValue(key, out var at) || (knownPage is { } k && k < PageCount && await Holds(k, key)))
        {
            at = _pageOf[key];
            await Replace(at, key, item);
            return at;
        }
        var last = PageCount - 1;
        if (last < 0 || (await Page(last)).State.Items.Count >= pageSize)
        {
            last = PageCount;
            // Counted before the owner stores it: anything the owner stores from now on (a write behind racing this)
            // includes the new page, which reads as empty until it is written.
            PageCount++;
            try
            {
                await pagesChanged(PageCount);
            }
            catch
            {
                PageCount--;
                throw;
            }
        }
        var row = await Page(last);
        await row.WriteAsync(new RowPage<T> { Items = [.. row.State.Items, item] });
        _pageOf[key] = last;
        return last;
    }

    /// <summary>Removes the item from <paramref name="page"/>, or wherever it is when the page is not known; returns the page it was on, or null.</summary>
    public async Task<int?> RemoveAsync(string key, int? page = null)
    {
        if (!_pageOf.TryGetValue(key, out var at))
        {
            if (page is { } p && p < PageCount && await Holds(p, key)) at = p;
            else if (!_allLoaded)
            {
                // No page given, or not the right one: look everywhere.
                await LoadAllAsync();
                if (!_pageOf.TryGetValue(key, out at)) return null;
            }
            else return null;
        }
        var row = await Page(at);
        await row.WriteAsync(new RowPage<T> { Items = [.. row.State.Items.Where(i => keyOf(i) != key)] });
        _pageOf.Remove(key);
        return at;
    }

    /// <summary>Deletes every page (the owner goes away).</summary>
    public async Task DeleteAllAsync()
    {
        for (var page = 0; page < PageCount; page++) await (await Page(page)).ClearAsync();
        _pages.Clear();
        _pageOf.Clear();
        PageCount = 0;
    }

    private async Task<bool> Holds(int page, string key)
    {
        await Page(page);
        return _pageOf.TryGetValue(key, out var at) && at == page;
    }

    private async Task Replace(int page, string key, T item)
    {
        var row = await Page(page);
        await row.WriteAsync(new RowPage<T> { Items = [.. row.State.Items.Select(i => keyOf(i) == key ? item : i)] });
    }

    private async Task<GrainRow<RowPage<T>>> Page(int page)
    {
        if (_pages.TryGetValue(page, out var row)) return row;
        row = new GrainRow<RowPage<T>>(storage, stateName, grainType, PageKeys.Of(owner, page));
        await row.ReadAsync();
        _pages[page] = row;
        foreach (var item in row.State.Items) _pageOf[keyOf(item)] = page;
        return row;
    }
}
