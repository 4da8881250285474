namespace OrleansSync.Gun;

/// <summary>Some keys of one node (a soul): a write, a change pushed to subscribers, or a whole node.</summary>
[GenerateSerializer, Immutable, Alias("os.gun-delta")]
public sealed record GunNodeDelta(
    [property: Id(0)] string Soul,
    [property: Id(1)] IReadOnlyDictionary<string, GunField> Fields);

/// <summary>
/// What a node did with a write: which keys it took now, which it holds for their (future) state — or, when
/// <see cref="Refused"/> says why, none of them.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.gun-put-result")]
public sealed record GunPutResult(
    [property: Id(0)] IReadOnlyList<string> Accepted,
    [property: Id(1)] IReadOnlyList<string> Deferred,
    [property: Id(2)] IReadOnlyList<string> Ignored,
    [property: Id(3)] string? Refused = null);
