using System.Text.Json;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// One WebSocket text frame: a message object or an array of them (<c>[]</c> is the heartbeat). Elements
/// that are not objects are reported as errors and skipped; the others are processed.
/// </summary>
public sealed class GunFrame : IDisposable
{
    private readonly JsonDocument? _document;

    private GunFrame(JsonDocument? document, IReadOnlyList<JsonElement> messages, string? error)
    {
        _document = document;
        Messages = messages;
        Error = error;
    }

    public IReadOnlyList<JsonElement> Messages { get; }

    /// <summary>Why (part of) the frame was unusable, or null.</summary>
    public string? Error { get; }

    public static GunFrame Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return new GunFrame(null, [], "DAM JSON parse error.");
        }
        var root = document.RootElement;
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                return new GunFrame(document, [root], null);
            case JsonValueKind.Array:
                var messages = root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList();
                var skipped = root.GetArrayLength() - messages.Count;
                return new GunFrame(document, messages, skipped == 0 ? null : $"{skipped} element(s) of the frame are not message objects.");
            default:
                return new GunFrame(document, [], "A frame must be a message object or an array of them.");
        }
    }

    public void Dispose() => _document?.Dispose();
}
