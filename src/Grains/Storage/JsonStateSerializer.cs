using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;
using OrleansSync.Lattice;
using OrleansSync.Lattice.Json;

namespace OrleansSync.Grains.Storage;

/// <summary>
/// The stored format of grain state: plain JSON whose property names are the state's, with partial
/// information in the tagged format of <see cref="PartialInfoCodec"/>. Unlike Orleans' default
/// (Newtonsoft with <c>$type</c>) nothing in a row names a .NET type, so classes can be renamed or
/// moved without breaking stored data, and rows are readable with any JSON tool.
/// </summary>
public sealed class JsonStateSerializer(PartialInfoCodec codec) : IGrainStorageSerializer
{
    private readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new PartialInfoConverter(codec), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public JsonStateSerializer() : this(PartialInfoCodec.Default)
    {
    }

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, _options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, _options)
        ?? throw new JsonException($"Stored state for {typeof(T).Name} was null.");

    private sealed class PartialInfoConverter(PartialInfoCodec codec) : JsonConverter<PartialInfo>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(PartialInfo).IsAssignableFrom(typeToConvert);

        public override PartialInfo Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return codec.Read(document.RootElement);
        }

        public override void Write(Utf8JsonWriter writer, PartialInfo value, JsonSerializerOptions options) =>
            codec.Write(writer, value);
    }
}
