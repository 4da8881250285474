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

    private string? Text(string name) =>
        Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
