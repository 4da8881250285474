using System.Text.Json;

namespace OrleansSync.Gun;

/// <summary>Which JSON values Gun accepts as a key's value (<c>src/valid.js</c>).</summary>
public static class GunValues
{
    public const string Null = "null";

    /// <summary>Null, a string, a boolean, a finite number, or a link: an object whose only key is <c>#</c>, a string.</summary>
    public static bool IsValid(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False => true,
        JsonValueKind.Number => value.TryGetDouble(out var d) && double.IsFinite(d),
        JsonValueKind.Object => LinkTarget(value) is not null,
        _ => false,
    };

    /// <summary>The soul a link points to, or null when the value is not a link.</summary>
    public static string? LinkTarget(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) return null;
        string? soul = null;
        var count = 0;
        foreach (var property in value.EnumerateObject())
        {
            count++;
            if (property.Name == "#" && property.Value.ValueKind == JsonValueKind.String) soul = property.Value.GetString();
        }
        return count == 1 ? soul : null;
    }

    public static string Link(string soul) => "{\"#\":" + JsonSerializer.Serialize(soul) + "}";

    public static string Text(string text) => JsonSerializer.Serialize(text);
}
