using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Orleans.Storage;
using OrleansSync.Grains.Storage;
using OrleansSync.Gun;

namespace OrleansSync.Grains.Gun;

/// <summary>
/// Where a Gun node's keys are stored. A small node keeps them in its row; once it holds more than
/// <see cref="InlineKeys"/>, they move to pages (<c>{soul}#{i}</c>, a power of two of them) of about
/// <see cref="KeysPerPage"/> to twice that many keys, and the pages double as the node grows. A put rewrites only the
/// pages of the keys it changed, so its cost follows what it touches, not the size of the node.
/// </summary>
/// <remarks>
/// <para>
/// Keys are placed by a hash keyed with a random seed kept in the node's row: a peer choosing keys cannot pile them
/// into one page.
/// </para>
/// <para>
/// Crash-safe ordering: a new layout is first noted in the row (so its pages can be found and removed whatever
/// happens), then the pages it adds are written, then the row names it, then the pages it keeps are rewritten. A key
/// found in a page it does not hash to under the row's layout is a leftover and is ignored. Pages never shrink.
/// </para>
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
    // A write failed part-way: memory and storage may differ, and only a new activation may write again.
    private bool _broken;

    /// <summary>The node's keys as stored (read-only: changes go through <see cref="StoreAsync"/>).</summary>
    public IReadOnlyDictionary<string, GunField> Fields => _fields;

    public IReadOnlyList<PendingWrite> Pending => row.State.Pending;

    /// <summary>Reads the row and the pages it names.</summary>
    public async Task LoadAsync()
    {
        await row.ReadStateAsync();
        _fields.Clear();
        var pages = row.State.Pages;
        if (pages == 0)
        {
            foreach (var (key, field) in row.State.Fields) _fields[key] = field;
            return;
        }
        var rows = await Task.WhenAll(Enumerable.Range(0, pages).Select(ReadPage));
        for (var i = 0; i < pages; i++)
            foreach (var (key, field) in rows[i].State.Fields)
                if (PageOf(key) == i) _fields[key] = field;
        Index();
    }

    /// <summary>
    /// Stores <paramref name="changes"/> (a null field removes the key) and <paramref name="pending"/>. Writes the row
    /// while the keys are in it, else only the pages of the changed keys (and the row when the pending writes
    /// changed). On failure the error surfaces, memory keeps what it had, and this store refuses further writes: the
    /// caller's activation must go, since some pages may hold the new values.
    /// </summary>
    public async Task StoreAsync(IReadOnlyDictionary<string, GunField?> changes, List<PendingWrite> pending)
    {
        ThrowIfBroken();
        try
        {
            await Write(changes, pending);
        }
        catch
        {
            _broken = true;
            throw;
        }
    }

    /// <summary>The store of node <paramref name="soul"/> (grain <paramref name="node"/>): its own row and its pages.</summary>
    public static GunNodeStore Open(IGrainStorage storage, GrainId node, string soul) =>
        new(new OwnRow<GunNodeState>(storage, GunNodeGrain.StateName, node), storage, soul);

    /// <summary>
    /// Whether <paramref name="delta"/> can be a node's first write without reading it: HAM takes every key as it would
    /// against an empty node (none is from the future), and the row holds them all.
    /// </summary>
    public static bool IsFirstWrite(GunNodeDelta delta, double now)
    {
        if (delta.Fields.Count is 0 or > InlineKeys) return false;
        foreach (var field in delta.Fields.Values)
            if (HamResolver.Resolve(field.State, field.Value, null, now) != HamOutcome.Accept) return false;
        return true;
    }

    /// <summary>
    /// Stores <paramref name="fields"/> as the first keys of a node not read yet, as if it had no row (at most
    /// <see cref="InlineKeys"/> of them, in the row). Returns false, with nothing written, when a row is there after all:
    /// the ETag refuses a first write then, and the caller reads the node and writes again.
    /// </summary>
    public async Task<bool> TryCreateAsync(IReadOnlyDictionary<string, GunField> fields)
    {
        ThrowIfBroken();
        if (fields.Count > InlineKeys) throw new ArgumentException($"A first write keeps at most {InlineKeys} keys in the row.", nameof(fields));
        try
        {
            // On failure the row goes back to what it had: nothing.
            await WriteRow(new GunNodeState { Fields = new Dictionary<string, GunField>(fields, StringComparer.Ordinal) });
        }
        catch (InconsistentStateException)
        {
            return false;
        }
        catch
        {
            _broken = true;
            throw;
        }
        foreach (var (key, field) in fields) _fields[key] = field;
        return true;
    }

    private void ThrowIfBroken()
    {
        if (_broken) throw new InvalidOperationException($"Gun node '{soul}' failed a write; its next activation reads what is stored.");
    }

    private async Task Write(IReadOnlyDictionary<string, GunField?> changes, List<PendingWrite> pending)
    {
        var count = _fields.Count + changes.Count(c => c.Value is not null && !_fields.ContainsKey(c.Key)) - changes.Count(c => c.Value is null && _fields.ContainsKey(c.Key));
        var pages = row.State.Pages;
        var wanted = pages == 0 && count <= InlineKeys ? 0 : Math.Max(pages, PagesFor(count));
        if (wanted == 0)
        {
            var next = new Dictionary<string, GunField>(_fields, StringComparer.Ordinal);
            Apply(next, changes);
            await WriteRow(row.State.With(fields: next, pending: pending));
            Apply(_fields, changes);
            return;
        }
        if (wanted == pages)
        {
            var touched = changes.Keys.Select(PageOf).ToHashSet();
            await Task.WhenAll(touched.Select(i => WritePage(i, PageContent(i, changes))));
            if (!row.State.Pending.SequenceEqual(pending)) await WriteRow(row.State.With(pending: pending));
            Apply(_fields, changes);
            foreach (var (key, field) in changes)
            {
                if (field is null) _keysOfPage[PageOf(key)].Remove(key);
                else _keysOfPage[PageOf(key)].Add(key);
            }
            return;
        }
        await Grow(changes, pending, pages, wanted);
    }

    /// <summary>A new layout (rare: the node doubled, or left its row).</summary>
    private async Task Grow(IReadOnlyDictionary<string, GunField?> changes, List<PendingWrite> pending, int pages, int wanted)
    {
        var all = new Dictionary<string, GunField>(_fields, StringComparer.Ordinal);
        Apply(all, changes);
        // Noted first: the pages about to be written can always be found (and removed) from the row.
        var seed = row.State.PageSeed != 0 ? row.State.PageSeed : RandomNumberGenerator.GetInt32(1, int.MaxValue);
        if (row.State.PagesNoted < wanted || row.State.PageSeed != seed)
            await WriteRow(row.State.With(pagesNoted: Math.Max(row.State.PagesNoted, wanted), pageSeed: seed));
        // One pass puts every key in its page.
        var content = Enumerable.Range(0, wanted).Select(_ => new Dictionary<string, GunField>(StringComparer.Ordinal)).ToArray();
        foreach (var (key, field) in all) content[PageOf(key, wanted, seed)][key] = field;
        await Task.WhenAll(Enumerable.Range(pages, wanted - pages).Select(i => WritePage(i, content[i])));
        await WriteRow(row.State.With(fields: [], pending: pending, pages: wanted));
        await Task.WhenAll(Enumerable.Range(0, pages).Select(i => WritePage(i, content[i])));
        Apply(_fields, changes);
        Index();
    }

    /// <summary>Removes every page the row ever noted, then the row.</summary>
    public async Task ClearAsync()
    {
        ThrowIfBroken();
        try
        {
            // Highest first and the row last: an interrupted clear leaves a row that still finds the rest.
            for (var i = Math.Max(row.State.Pages, row.State.PagesNoted) - 1; i >= 0; i--)
            {
                var page = _read.Contains(i) ? Page(i) : await ReadPage(i);
                await page.ClearAsync();
            }
            await row.ClearStateAsync();
        }
        catch
        {
            _broken = true;
            throw;
        }
        row.State = new GunNodeState();
        _fields.Clear();
        _keysOfPage = [];
        _pages.Clear();
        _read.Clear();
    }

    /// <summary>Pages a failed growth wrote but no layout names: removed (compaction would otherwise find them again and again).</summary>
    public async Task RemoveLeftoverPagesAsync()
    {
        if (_broken || row.State.PagesNoted <= row.State.Pages) return;
        try
        {
            for (var i = row.State.PagesNoted - 1; i >= row.State.Pages; i--)
            {
                var page = _read.Contains(i) ? Page(i) : await ReadPage(i);
                await page.ClearAsync();
                _pages.Remove(i);
                _read.Remove(i);
            }
            await WriteRow(row.State.With(pagesNoted: row.State.Pages));
        }
        catch
        {
            _broken = true;
            throw;
        }
    }

    public bool HasLeftoverPages => row.State.PagesNoted > row.State.Pages;

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
        var content = _keysOfPage[page].ToDictionary(k => k, k => _fields[k], StringComparer.Ordinal);
        foreach (var (key, field) in changes)
        {
            if (PageOf(key) != page) continue;
            if (field is null) content.Remove(key);
            else content[key] = field;
        }
        return content;
    }

    private void Index()
    {
        _keysOfPage = [.. Enumerable.Range(0, row.State.Pages).Select(_ => new HashSet<string>(StringComparer.Ordinal))];
        foreach (var key in _fields.Keys) _keysOfPage[PageOf(key)].Add(key);
    }

    private async Task WriteRow(GunNodeState next)
    {
        var previous = row.State;
        row.State = next;
        await row.WriteOrRestoreAsync(previous);
    }

    private async Task WritePage(int page, Dictionary<string, GunField> content)
    {
        // A row left by a layout that never took effect may be there: read it once, for its ETag.
        var rowOfPage = _read.Contains(page) ? Page(page) : await ReadPage(page);
        await rowOfPage.WriteAsync(new GunNodePage { Fields = content });
    }

    private async Task<GrainRow<GunNodePage>> ReadPage(int page)
    {
        var rowOfPage = Page(page);
        await rowOfPage.ReadAsync();
        _read.Add(page);
        return rowOfPage;
    }

    private GrainRow<GunNodePage> Page(int page)
    {
        if (!_pages.TryGetValue(page, out var rowOfPage))
            _pages[page] = rowOfPage = new GrainRow<GunNodePage>(storage, PageStateName, PageStateName, PageKeys.Of(soul, page));
        return rowOfPage;
    }

    /// <summary>The power of two of pages that keeps at most twice <see cref="KeysPerPage"/> keys in each on average.</summary>
    private static int PagesFor(int keys)
    {
        var pages = 1;
        while (keys > pages * KeysPerPage * 2) pages *= 2;
        return pages;
    }

    private int PageOf(string key) => PageOf(key, row.State.Pages, row.State.PageSeed);

    /// <summary>A key's page under a layout: SHA-256 of the seed and the key's UTF-16 code units, keyed so peers cannot aim.</summary>
    public static int PageOf(string key, int pages, int seed)
    {
        if (pages <= 1) return 0;
        Span<byte> input = stackalloc byte[4 + key.Length * 2 <= 512 ? 4 + key.Length * 2 : 0];
        var buffer = input.Length > 0 ? input : new byte[4 + key.Length * 2];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, seed);
        MemoryMarshal.AsBytes(key.AsSpan()).CopyTo(buffer[4..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer, hash);
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash) & (uint)(pages - 1));
    }
}
