using OrleansSync.Gun;

namespace OrleansSync.Grains.Gun;

/// <summary>A Gun node as stored: one row per soul, with its keys in it while few, else in pages (<see cref="GunNodeStore"/>).</summary>
[GenerateSerializer, Alias("os.gun-node-state")]
public sealed class GunNodeState
{
    /// <summary>The keys, while <see cref="Pages"/> is 0.</summary>
    [Id(0)] public Dictionary<string, GunField> Fields { get; set; } = [];

    /// <summary>Writes whose state is still in the future: applied by HAM when their time comes.</summary>
    [Id(1)] public List<PendingWrite> Pending { get; set; } = [];

    /// <summary>How many page rows hold the keys (a power of two), or 0 when they are in this row.</summary>
    [Id(2)] public int Pages { get; set; }

    /// <summary>The most pages a layout ever began to write (≥ <see cref="Pages"/>): where leftover pages may be.</summary>
    [Id(3)] public int PagesNoted { get; set; }

    /// <summary>The seed of the hash that places keys in pages (chosen when the node first moves to pages).</summary>
    [Id(4)] public int PageSeed { get; set; }

    /// <summary>A copy with some parts replaced.</summary>
    public GunNodeState With(Dictionary<string, GunField>? fields = null, List<PendingWrite>? pending = null, int? pages = null, int? pagesNoted = null, int? pageSeed = null) => new()
    {
        Fields = fields ?? Fields,
        Pending = pending ?? Pending,
        Pages = pages ?? Pages,
        PagesNoted = Math.Max(pagesNoted ?? PagesNoted, pages ?? Pages),
        PageSeed = pageSeed ?? PageSeed,
    };
}

/// <summary>Some keys of a large Gun node: those that hash to this page.</summary>
[GenerateSerializer, Alias("os.gun-node-page")]
public sealed class GunNodePage
{
    [Id(0)] public Dictionary<string, GunField> Fields { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("os.gun-pending")]
public sealed record PendingWrite([property: Id(0)] string Key, [property: Id(1)] GunField Field);
