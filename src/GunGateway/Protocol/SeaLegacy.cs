using System.Text.Json;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// SEA's fallback format, from before 2019 (<c>SEA.opt.fall_verify</c> and <c>SEA.opt.unpack</c> in sea.js): a value
/// <c>SEA{"m": …, "s": …}</c> whose signature <c>s</c> covers the text JavaScript makes of the parsed <c>m</c>
/// (<c>TextEncoder.encode</c> converts it with <c>String()</c>, so an object signs as "[object Object]" and an array as
/// its items joined by commas), hashed as SEA hashes today's signatures; the signature is base64 or, older still, a
/// string of one character per byte. Only when <c>m</c> is <c>[soul, key, value, state]</c> is the signature bound to
/// where it is written; any other such value is taken only with a state from before 2019-01-01 (SEA's
/// <c>shuffle_attack</c> date), where HAM lets any later write win.
/// </summary>
/// <remarks>
/// Stricter than gun's relay in two places, both replays: a value without the <c>SEA</c> prefix passes gun's unpack
/// whatever its state (here it needs the 2019 rule like any other), and today's format whose signature fails is not
/// checked again as "[object Object]" (a digest that is the same for every value).
/// </remarks>
public static class SeaLegacy
{
    /// <summary>2019-01-01T00:00:00Z: SEA's <c>shuffle_attack</c> date.</summary>
    public const double ShuffleAttack = 1546329600000;

    /// <summary>An envelope in this format: an object with <c>m</c> and a string <c>s</c> (and none of today's <c>:</c>).</summary>
    public static bool IsEnvelope(JsonElement envelope) =>
        envelope.ValueKind == JsonValueKind.Object && !envelope.TryGetProperty(":", out _) && envelope.TryGetProperty("m", out _) &&
        envelope.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.String;

    /// <summary>Whether <paramref name="signer"/> signed the envelope and it may be written at (soul, key, state).</summary>
    public static bool Verifies(JsonElement envelope, string signer, string soul, string key, double state)
    {
        using var parsed = Parsed(envelope.GetProperty("m"));
        var m = parsed?.RootElement ?? envelope.GetProperty("m");
        if (!Placed(m, soul, key, state)) return false;
        var text = TextOf(m);
        var signature = envelope.GetProperty("s").GetString()!;
        // Base64, or else (SEA's "utf8" reading) one byte per character: the low byte of each UTF-16 code unit.
        return SeaSignature.Verify(signer, text, signature) ||
               (signature.Length == 64 && SeaSignature.Verify(signer, text, signature.Select(c => (byte)c).ToArray()));
    }

    /// <summary><c>S.parse(m)</c>: a string is read as JSON when it is JSON (after an optional <c>SEA</c> prefix).</summary>
    private static JsonDocument? Parsed(JsonElement m)
    {
        if (m.ValueKind != JsonValueKind.String) return null;
        var text = m.GetString()!;
        if (text.StartsWith("SEA{", StringComparison.Ordinal)) text = text[3..];
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Bound to (soul, key, state) as <c>[soul, key, value, state]</c>, or from before 2019.</summary>
    private static bool Placed(JsonElement m, string soul, string key, double state) =>
        (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 4 && m[0].ValueKind == JsonValueKind.String && m[0].GetString() == soul &&
         m[1].ValueKind == JsonValueKind.String && m[1].GetString() == key && NumberOf(m[3]) is { } signedState && Math.Floor(signedState) == Math.Floor(state)) ||
        state < ShuffleAttack;

    private static double? NumberOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary><c>String(value)</c> in JavaScript.</summary>
    public static string TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => JsJson.Number(value.GetDouble()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "[object Object]",
        // Array.prototype.join: null items become empty.
        JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Null ? "" : TextOf(item))),
        _ => "",
    };
}
