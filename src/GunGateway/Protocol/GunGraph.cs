using System.Text.Json;
using OrleansSync.Gun;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// Validates a <c>put</c> graph as gun does (<c>src/root.js: put</c>, <c>src/valid.js</c>) and turns it into
/// one delta per soul. Errors use gun's wording, so clients see what a gun relay would say. Beyond gun's checks,
/// souls and keys are bounded in length, a soul of whitespace only is refused, and so is a state further ahead of
/// <c>nowMs</c> than the limits allow (gun's relay would hold such a write in a timer; here it would pin a node).
/// </summary>
public static class GunGraph
{
    public sealed record Result(IReadOnlyList<GunNodeDelta> Nodes, string? Error);

    public static Result Parse(JsonElement put, GunLimits limits, double nowMs)
    {
        if (put.ValueKind != JsonValueKind.Object) return Fail("Error: Invalid graph! 'put' is not an object.");
        var nodes = new List<GunNodeDelta>();
        foreach (var node in put.EnumerateObject())
        {
            if (nodes.Count == limits.MaxSouls) return Fail($"Error: Too many souls in one put (the limit is {limits.MaxSouls}).");
            var soul = node.Name;
            if (limits.CheckSoul(soul) is { } badSoul) return Fail(badSoul);
            if (node.Value.ValueKind != JsonValueKind.Object) return Fail($"Error: Invalid graph! '{soul}' no node.");
            if (!node.Value.TryGetProperty("_", out var meta) || meta.ValueKind != JsonValueKind.Object) return Fail($"Error: Invalid graph! '{soul}' no meta.");
            if (!meta.TryGetProperty("#", out var metaSoul) || metaSoul.ValueKind != JsonValueKind.String || metaSoul.GetString() != soul)
                return Fail($"Error: Invalid graph! '{soul}' soul not same.");
            if (!meta.TryGetProperty(">", out var states) || states.ValueKind != JsonValueKind.Object) return Fail($"Error: Invalid graph! '{soul}' no state.");
            var fields = new Dictionary<string, GunField>(StringComparer.Ordinal);
            foreach (var property in node.Value.EnumerateObject())
            {
                var key = property.Name;
                if (key == "_") continue;
                if (limits.CheckKey(soul, key) is { } badKey) return Fail(badKey);
                if (!states.TryGetProperty(key, out var state) || state.ValueKind != JsonValueKind.Number || !state.TryGetDouble(out var s) || !double.IsFinite(s))
                    return Fail($"Error: Invalid graph! '{soul}.{key}' no state.");
                if (s > nowMs + limits.MaxFutureMs)
                    return Fail($"Error: Invalid graph! '{soul}.{key}' state is more than {limits.MaxFutureMs / 1000:0.###} s in the future.");
                if (!GunValues.IsValid(property.Value))
                    return Fail($"Error: Invalid value at '{soul}.{key}': bad {Describe(property.Value)}.");
                fields[key] = new GunField(property.Value.GetRawText(), s);
            }
            nodes.Add(new GunNodeDelta(soul, fields));
        }
        return new Result(nodes, null);
    }

    private static Result Fail(string error) => new([], error);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object (only links {\"#\":soul} are values)",
        JsonValueKind.Number => "number",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
