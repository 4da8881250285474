using System.Text.Json;

namespace OrleansSync.Lattice.Json;

/// <summary>
/// The stored (and wire-neutral) JSON format of partial information: an object tagged by <c>"t"</c>
/// with a stable name per type, never a .NET type name, so renaming a class never breaks stored rows.
/// Types register a tag, a writer and a reader, as merges do in <see cref="MergeRegistry"/>.
/// </summary>
public sealed class PartialInfoCodec
{
    public const string TagProperty = "t";

    private readonly Dictionary<string, Func<JsonElement, PartialInfoCodec, PartialInfo>> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, (string Tag, Action<Utf8JsonWriter, PartialInfo, PartialInfoCodec> Write)> _writers = [];

    public static PartialInfoCodec Default { get; } = BuiltInCodecs.Register(new PartialInfoCodec());

    public PartialInfoCodec Register<T>(string tag, Action<Utf8JsonWriter, T, PartialInfoCodec> write, Func<JsonElement, PartialInfoCodec, T> read)
        where T : PartialInfo
    {
        _readers[tag] = (e, c) => read(e, c);
        _writers[typeof(T)] = (tag, (w, v, c) => write(w, (T)v, c));
        return this;
    }

    public void Write(Utf8JsonWriter writer, PartialInfo value)
    {
        if (!_writers.TryGetValue(value.GetType(), out var entry))
            throw new NotSupportedException($"No stored format is registered for {value.GetType().Name}.");
        writer.WriteStartObject();
        writer.WriteString(TagProperty, entry.Tag);
        entry.Write(writer, value, this);
        writer.WriteEndObject();
    }

    public PartialInfo Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new JsonException($"Partial information must be a JSON object, got {element.ValueKind}.");
        if (!element.TryGetProperty(TagProperty, out var tag) || tag.ValueKind != JsonValueKind.String)
            throw new JsonException($"Partial information needs a string \"{TagProperty}\" tag.");
        if (!_readers.TryGetValue(tag.GetString()!, out var read))
            throw new JsonException($"Unknown partial information tag \"{tag.GetString()}\".");
        return read(element, this);
    }

    public string ToJson(PartialInfo value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public PartialInfo FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }
}
