namespace OrleansSync.Gun;

/// <summary>
/// One key of a Gun node: its value as the JSON text the writer sent (null, a string, a boolean, a finite
/// number, or a link <c>{"#":"soul"}</c>) and its HAM state (milliseconds since the epoch, fractional).
/// The text is kept as received because HAM breaks ties by comparing JSON texts, as gun does.
/// </summary>
[GenerateSerializer, Immutable, Alias("os.gun-field")]
public sealed record GunField([property: Id(0)] string Value, [property: Id(1)] double State);

/// <summary>Some keys of one node (a soul): a write, a change pushed to subscribers, or a whole node.</summary>
[GenerateSerializer, Immutable, Alias("os.gun-delta")]
public sealed record GunNodeDelta(
    [property: Id(0)] string Soul,
    [property: Id(1)] IReadOnlyDictionary<string, GunField> Fields);

/// <summary>What a node did with a write: which keys it took now, which it holds for their (future) state.</summary>
[GenerateSerializer, Immutable, Alias("os.gun-put-result")]
public sealed record GunPutResult(
    [property: Id(0)] IReadOnlyList<string> Accepted,
    [property: Id(1)] IReadOnlyList<string> Deferred,
    [property: Id(2)] IReadOnlyList<string> Ignored);
