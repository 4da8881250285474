using Orleans.Storage;
using OrleansSync.Grains.Storage;
using OrleansSync.Gun;

namespace OrleansSync.Grains.Gun;

/// <summary>
/// Where a Gun node's keys are stored. A small node keeps them in its row; once it holds more than
/// <see cref="InlineKeys"/>, they move to pages (<c>{soul}#{i}</c>, a power of two of them, keys by a fixed hash) of about
/// <see cref="KeysPerPage"/> keys, and the pages double as the node grows. A put rewrites only the pages of the keys
/// it changed, so its cost follows what it touches, not the size of the node.
/// </summary>
/// <remarks>
/// Crash-safe ordering: pages a layout adds are written before the row that names the layout, and pages it shrinks
/// after; a key found in a page it does not hash to under the row's layout is a leftover and is ignored.
/// </remarks>
public sealed class GunNodeStore(IPersistentState<GunNodeState> row, IGrainStorage storage, string soul)
{
    public const int InlineKeys = 128;
    public const int KeysPerPage = 128;
    public const string PageStateName = "gun-page";

    private readonly Dictionary<string, GunField> _fields = new(StringComparer.Ordinal);
    // While paged: the keys of each page, so that writing a page costs what the page holds.
    private List<HashSet<string>> _keysOfPage = [];
    private readonly Dictionary<int, GrainRow<GunNodePage>> _pages = [];
    // Pages read from storage in this activation (a page row is read before its first write, for its ETag).
    private readonly HashSet<int> _read = [];

    /// <summary>The node's keys as stored (read-only: changes go through <see cref="StoreAsync"/>).</summary>
    public IReadOnlyDictionary<string, GunField> Fields => _fields;

    public IReadOnlyList<PendingWrite> Pending => row.State.Pending;

    public int PageCount => row.State.Pages;

    /// <summary>Reads the pages the row names (the row itself is read by Orleans on activation).</summary>
    public async Task LoadAsync()
    {
        _fields.Clear();
        var pages = row.State.Pages;
        if (pages == 0)
        {
            foreach (var (key, field) in row.State.Fields) _fields[key] = field;
            return;
        }
        var rows = Enumerable.Range(0, pages).Select(Page).ToArray();
        await Task.WhenAll(rows.Select(p => p.ReadAsync()));
        _read.UnionWith(Enumerable.Range(0, pages));
        for (var i = 0; i < pages; i++)
            foreach (var (key, field) in rows[i].State.Fields)
                if (PageOf(key, pages) == i) _fields[key] = field;
        Index(pages);
    }

    /// <summary>
    /// Stores <paramref name="changes"/> (a null field removes the key) and <paramref name="pending"/>. Writes the row
    /// while the keys are in it, else only the pages of the changed keys (and the row when the pending writes
    /// changed). On failure the error surfaces and what is in memory stays as it was; the caller's activation should
    /// go, since some pages may hold the new values.
    /// </summary>
    public async Task StoreAsync(IReadOnlyDictionary<string, GunField?> changes, List<PendingWrite> pending)
    {
        var count = _fields.Count + changes.Count(c => c.Value is not null && !_fields.ContainsKey(c.Key)) - changes.Count(c => c.Value is null && _fields.ContainsKey(c.Key));
        var pages = row.State.Pages;
        var wanted = pages == 0 && count <= InlineKeys ? 0 : Math.Max(pages, PagesFor(count));
        if (wanted == 0)
        {
            var next = new Dictionary<string, GunField>(_fields, StringComparer.Ordinal);
            Apply(next, changes);
            await WriteRow(new GunNodeState { Fields = next, Pending = pending, Pages = 0 });
            Apply(_fields, changes);
            return;
        }
        if (wanted == pages)
        {
            var touched = changes.Keys.Select(k => PageOf(k, pages)).ToHashSet();
            await Task.WhenAll(touched.Select(i => WritePage(i, PageContent(i, changes))));
            if (!row.State.Pending.SequenceEqual(pending)) await WriteRow(new GunNodeState { Pending = pending, Pages = pages });
            Apply(_fields, changes);
            foreach (var (key, field) in changes)
            {
                if (field is null) _keysOfPage[PageOf(key, pages)].Remove(key);
                else _keysOfPage[PageOf(key, pages)].Add(key);
            }
            return;
        }
        // A new layout (rare: the node doubled): the pages it adds first, then the row, then the pages it keeps.
        var all = new Dictionary<string, GunField>(_fields, StringComparer.Ordinal);
        Apply(all, changes);
        Dictionary<string, GunField> Content(int page) => all.Where(f => PageOf(f.Key, wanted) == page).ToDictionary(StringComparer.Ordinal);
        await Task.WhenAll(Enumerable.Range(pages, wanted - pages).Select(i => WritePage(i, Content(i))));
        await WriteRow(new GunNodeState { Pending = pending, Pages = wanted });
        await Task.WhenAll(Enumerable.Range(0, pages).Select(i => WritePage(i, Content(i))));
        Apply(_fields, changes);
        Index(wanted);
    }

    private static void Apply(Dictionary<string, GunField> fields, IReadOnlyDictionary<string, GunField?> changes)
    {
        foreach (var (key, field) in changes)
        {
            if (field is null) fields.Remove(key);
            else fields[key] = field;
        }
    }

    /// <summary>What page <paramref name="page"/> holds once <paramref name="changes"/> are made.</summary>
    private Dictionary<string, GunField> PageContent(int page, IReadOnlyDictionary<string, GunField?> changes)
    {
        var pages = row.State.Pages;
        var content = _keysOfPage[page].ToDictionary(k => k, k => _fields[k], StringComparer.Ordinal);
        foreach (var (key, field) in changes)
        {
            if (PageOf(key, pages) != page) continue;
            if (field is null) content.Remove(key);
            else content[key] = field;
        }
        return content;
    }

    private void Index(int pages)
    {
        _keysOfPage = [.. Enumerable.Range(0, pages).Select(_ => new HashSet<string>(StringComparer.Ordinal))];
        foreach (var key in _fields.Keys) _keysOfPage[PageOf(key, pages)].Add(key);
    }

    /// <summary>Removes the row and every page.</summary>
    public async Task ClearAsync()
    {
        var pages = row.State.Pages;
        await row.ClearStateAsync();
        row.State = new GunNodeState();
        for (var i = 0; i < pages; i++)
        {
            if (_read.Add(i)) await Page(i).ReadAsync();
            await Page(i).ClearAsync();
        }
        _fields.Clear();
        _keysOfPage = [];
    }

    private async Task WriteRow(GunNodeState next)
    {
        var previous = row.State;
        row.State = next;
        await row.WriteOrRestoreAsync(previous);
    }

    private async Task WritePage(int page, Dictionary<string, GunField> content)
    {
        var rowOfPage = Page(page);
        // A row left by a layout that never took effect may be there: read it once, for its ETag.
        if (_read.Add(page)) await rowOfPage.ReadAsync();
        await rowOfPage.WriteAsync(new GunNodePage { Fields = content });
    }

    private GrainRow<GunNodePage> Page(int page)
    {
        if (!_pages.TryGetValue(page, out var rowOfPage))
            _pages[page] = rowOfPage = new GrainRow<GunNodePage>(storage, PageStateName, PageStateName, PageKeys.Of(soul, page));
        return rowOfPage;
    }

    /// <summary>The power of two of pages that keeps about <see cref="KeysPerPage"/> keys in each (doubling at twice that).</summary>
    private static int PagesFor(int keys)
    {
        var pages = 1;
        while (keys > pages * KeysPerPage * 2) pages *= 2;
        return pages;
    }

    /// <summary>A key's page: FNV-1a of its UTF-16 code units (the same in every process, unlike string hash codes).</summary>
    public static int PageOf(string key, int pages)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ (byte)c) * 16777619u;
            hash = (hash ^ (byte)(c >> 8)) * 16777619u;
        }
        return (int)(hash & (uint)(pages - 1));
    }
}
