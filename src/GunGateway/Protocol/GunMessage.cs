using System.Text.Json;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>Typed access to the envelope fields of a message (<c>#</c>, <c>@</c>, <c>dam</c>, <c>get</c>, <c>put</c>).</summary>
public readonly record struct GunMessage(JsonElement Json)
{
    public string? Id => Text("#");

    public string? ReplyTo => Text("@");

    public string? Dam => Text("dam");

    public JsonElement? Get => Json.TryGetProperty("get", out var get) ? get : null;

    public JsonElement? Put => Json.TryGetProperty("put", out var put) ? put : null;

    /// <summary>The souls the message reads or writes: a get's soul, a put's souls; none for anything else.</summary>
    public IReadOnlyList<string> Souls
    {
        get
        {
            if (ReplyTo is not null || Dam is not null) return [];
            if (Get is { ValueKind: JsonValueKind.Object } get)
                return get.TryGetProperty("#", out var soul) && soul.ValueKind == JsonValueKind.String ? [soul.GetString()!] : [];
            if (Put is { ValueKind: JsonValueKind.Object } put) return [.. put.EnumerateObject().Select(p => p.Name)];
            return [];
        }
    }

    private string? Text(string name) =>
        Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
