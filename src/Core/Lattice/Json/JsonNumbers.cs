using System.Globalization;
using System.Text.Json;

namespace OrleansSync.Lattice.Json;

/// <summary>Doubles in JSON, including the infinities intervals need (JSON numbers cannot hold them).</summary>
internal static class JsonNumbers
{
    public static void WriteDouble(this Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    public static double GetDoubleOrNamed(this JsonElement element, string name)
    {
        var property = element.GetProperty(name);
        return property.ValueKind switch
        {
            JsonValueKind.Number => property.GetDouble(),
            JsonValueKind.String => property.GetString() switch
            {
                "Infinity" or "∞" => double.PositiveInfinity,
                "-Infinity" or "-∞" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var other => throw new JsonException($"\"{name}\" is not a number: \"{other}\"."),
            },
            _ => throw new JsonException($"\"{name}\" must be a number."),
        };
    }

    public static string GetRequiredString(this JsonElement element, string name)
    {
        var property = element.GetProperty(name);
        return property.ValueKind == JsonValueKind.String
            ? property.GetString()!
            : throw new JsonException($"\"{name}\" must be a string.");
    }

    public static void WriteStrings(this Utf8JsonWriter writer, string name, IEnumerable<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items) writer.WriteStringValue(item);
        writer.WriteEndArray();
    }

    public static IEnumerable<string> GetStrings(this JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String
            ? i.GetString()!
            : throw new JsonException($"\"{name}\" must hold strings only."));
}
