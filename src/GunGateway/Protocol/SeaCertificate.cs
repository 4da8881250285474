using System.Globalization;
using System.Text.Json;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// A SEA certificate (<c>SEA.certify</c>): the owner of a graph lets certificants write where its policy allows, until
/// it expires, unless the owner blocked them. What is checked is <c>sea.js: check.pub</c>'s <c>verify</c>, with two
/// of its slips closed: a list of certificants is matched by member, and a certificate is required whenever the
/// signer is not the owner.
/// </summary>
public sealed class SeaCertificate
{
    private readonly JsonElement _data;

    private SeaCertificate(JsonElement data) => _data = data;

    /// <summary>
    /// Checks <paramref name="certificate"/> (<c>{m, s}</c>) for a write of <paramref name="soul"/>.<paramref name="key"/> at
    /// <paramref name="state"/> by <paramref name="certificant"/> into <paramref name="owner"/>'s graph. <paramref name="blocked"/>
    /// answers whether the owner's write block lists the certificant (see <see cref="SeaWriteBlock"/>). Returns gun's error text, or null.
    /// </summary>
    public static async Task<string?> Check(JsonElement certificate, string owner, string certificant, string soul, string key, double state,
        Func<SeaWriteBlock, string, Task<bool>> blocked)
    {
        if (certificate.ValueKind != JsonValueKind.Object || !certificate.TryGetProperty("m", out var m) ||
            !certificate.TryGetProperty("s", out var s) || s.ValueKind != JsonValueKind.String)
            return "Certificate verification fail.";
        // sha(json.m): a string is hashed as it is, anything else as JavaScript's JSON text of it.
        var signed = m.ValueKind == JsonValueKind.String ? m.GetString()! : JsJson.Write(m);
        if (!SeaSignature.Verify(owner, signed, s.GetString()!)) return "Certificate verification fail.";
        JsonElement data;
        try
        {
            if (m.ValueKind == JsonValueKind.String)
            {
                using var parsed = JsonDocument.Parse(m.GetString()!);
                data = parsed.RootElement.Clone();
            }
            else
            {
                data = m;
            }
        }
        catch (JsonException)
        {
            return "Certificate verification fail.";
        }
        if (data.ValueKind != JsonValueKind.Object) return "Certificate verification fail.";
        return await new SeaCertificate(data).Allows(owner, certificant, soul, key, state, blocked);
    }

    private async Task<string?> Allows(string owner, string certificant, string soul, string key, double state, Func<SeaWriteBlock, string, Task<bool>> blocked)
    {
        if (_data.TryGetProperty("e", out var e) && ParseFloat(e) is { } expiry && state > expiry) return "Certificate expired.";
        if (!_data.TryGetProperty("c", out var c) || !_data.TryGetProperty("w", out var w) || !Certifies(c, certificant))
            return "Certificate verification fail.";
        var slash = soul.IndexOf('/', StringComparison.Ordinal);
        var path = slash >= 0 ? soul[(slash + 1)..] : "";
        foreach (var lex in Policies(w))
        {
            var hash = lex.ValueKind == JsonValueKind.Object && lex.TryGetProperty("#", out var h) ? h : (JsonElement?)null;
            var dot = lex.ValueKind == JsonValueKind.Object && lex.TryGetProperty(".", out var d) ? d : (JsonElement?)null;
            var allowed = (Match(path, hash) && Match(key, dot)) || (dot is null && Match(path, hash)) || (hash is null && Match(key, dot)) ||
                Match(path.Length > 0 ? path + "/" + key : key, hash ?? lex);
            if (!allowed) continue;
            if (lex.ValueKind == JsonValueKind.Object && lex.TryGetProperty("+", out var plus) && plus.ValueKind == JsonValueKind.String &&
                plus.GetString()!.Contains('*', StringComparison.Ordinal) && path.Length > 0 &&
                !path.Contains(certificant, StringComparison.Ordinal) && !key.Contains(certificant, StringComparison.Ordinal))
                return $"Path \"{path}\" or key \"{key}\" must contain string \"{certificant}\".";
            if (_data.TryGetProperty("wb", out var wb) && SeaWriteBlock.Of(wb, owner) is { } block && await blocked(block, certificant))
                return $"Certificant {certificant} blocked.";
            return null;
        }
        return "Certificate verification fail.";
    }

    private static bool Certifies(JsonElement c, string certificant) => c.ValueKind switch
    {
        JsonValueKind.String => c.GetString() == certificant || c.GetString() == "*",
        JsonValueKind.Array => c.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.String && (x.GetString() == certificant || x.GetString() == "*")),
        _ => false,
    };

    private static IEnumerable<JsonElement> Policies(JsonElement w) =>
        w.ValueKind == JsonValueKind.Array ? w.EnumerateArray() : w.ValueKind is JsonValueKind.Object or JsonValueKind.String ? [w] : [];

    /// <summary>gun's <c>String.match</c>: a string is equality; an object has <c>=</c>, <c>*</c> (prefix), <c>&gt;</c> and <c>&lt;</c> (range).</summary>
    public static bool Match(string text, JsonElement? pattern)
    {
        if (pattern is not { } o) return false;
        if (o.ValueKind == JsonValueKind.String) return text == o.GetString();
        if (o.ValueKind != JsonValueKind.Object) return false;
        // JavaScript's || skips empty strings as it skips missing ones.
        string? Get(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0 ? v.GetString() : null;
        bool Has(string name) => o.TryGetProperty(name, out _);
        var (eq, star, gt, lt) = (Get("="), Get("*"), Get(">"), Get("<"));
        if (text == (eq ?? star ?? gt ?? lt)) return true;
        if (Has("=")) return false;
        var prefix = star ?? gt ?? "";
        if (text.StartsWith(prefix, StringComparison.Ordinal) && (star ?? gt) is not null) return true;
        if (Has("*")) return false;
        if (gt is not null && lt is not null) return string.CompareOrdinal(text, gt) >= 0 && string.CompareOrdinal(text, lt) <= 0;
        if (gt is not null && string.CompareOrdinal(text, gt) >= 0) return true;
        return lt is not null && string.CompareOrdinal(text, lt) <= 0;
    }

    /// <summary>JavaScript's <c>parseFloat</c> of a value: a number, or the longest number at the start of a string.</summary>
    private static double? ParseFloat(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => LeadingFloat(e.GetString()!.TrimStart()),
        _ => null,
    };

    internal static double? LeadingFloat(string text)
    {
        for (var length = Math.Min(text.Length, 64); length > 0; length--)
            if (double.TryParse(text.AsSpan(0, length), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        return null;
    }
}

/// <summary>
/// Where a certificate's write block is (<c>wb</c>): the node <see cref="Soul"/>, or — for a path in the owner's graph —
/// the node its <see cref="LinkKey"/> on <see cref="Soul"/> links to. A certificant listed there with 1 or true is blocked.
/// </summary>
public sealed record SeaWriteBlock(string Soul, string? LinkKey)
{
    public static SeaWriteBlock? Of(JsonElement wb, string owner)
    {
        if (wb.ValueKind == JsonValueKind.String)
        {
            var text = wb.GetString()!;
            return text.StartsWith('~') ? new SeaWriteBlock(text, null) : new SeaWriteBlock("~" + owner, text);
        }
        if (wb.ValueKind == JsonValueKind.Object && wb.TryGetProperty("#", out var soul) && soul.ValueKind == JsonValueKind.String)
            return new SeaWriteBlock(soul.GetString()!, null);
        return null;
    }
}
