using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansSync.Lattice;
using OrleansSync.Lattice.Json;

namespace OrleansSync.Cli.Output;

/// <summary>
/// <c>--json</c> output: one JSON document per line on stdout, never wrapped or styled. Values appear twice, as
/// text (what a person reads) and in their stored encoding (what a program reads back, the format <c>cells tell</c> takes).
/// </summary>
public static class JsonOutput
{
    public static void Print(JsonNode node)
    {
        Console.Out.WriteLine(node.ToJsonString());
        Console.Out.Flush();
    }

    public static JsonNode? Value(PartialInfo value) => JsonNode.Parse(PartialInfoCodec.Default.ToJson(value));

    public static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);

    public static JsonNode? Of<T>(T value) => JsonSerializer.SerializeToNode(value, Options);

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
