using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// What gun's relay enforces when it loads SEA (<c>sea.js: check</c>, run on every key of a put): the alias list
/// <c>~@</c> and alias nodes <c>~@alias</c> hold only links to themselves / to their keys; user space (a soul with a
/// public key, <c>~pub</c> or <c>~pub/path</c>) holds only values signed by that key, or by a certificant with a valid
/// certificate, and its <c>pub</c> key is the key itself; content-addressed souls (with <c>#</c>) hold values whose
/// SHA-256 is the key; a soul with <c>&lt;?N</c> forgets writes older than N seconds. Anything else passes.
/// </summary>
/// <remarks>
/// Pure apart from <c>readField</c>, which reads what is stored (for write blocks). The signed text is rebuilt as
/// JavaScript wrote it when signing (<see cref="JsJson"/>), from the parsed values: a number sent as <c>1.0</c> is
/// checked as <c>1</c>, as every gun peer will check it.
/// </remarks>
public sealed class SeaCheck(Func<string, string, Task<JsonElement?>> readField)
{
    /// <summary>The verdict on a put: an error for the whole message, or the keys to leave out silently (expired <c>&lt;?</c> writes).</summary>
    public sealed record Verdict(string? Error, IReadOnlySet<(string Soul, string Key)> Dropped)
    {
        public static Verdict Pass { get; } = new(null, new HashSet<(string, string)>());
    }

    /// <summary>Checks every key of a put (already valid as a graph, <see cref="GunGraph"/>).</summary>
    public async Task<Verdict> Check(JsonElement put, double nowMs)
    {
        HashSet<(string, string)>? dropped = null;
        foreach (var node in put.EnumerateObject())
        {
            var soul = node.Name;
            if (!NeedsCheck(soul)) continue;
            var states = node.Value.GetProperty("_").GetProperty(">");
            foreach (var field in node.Value.EnumerateObject())
            {
                if (field.Name == "_") continue;
                var state = states.GetProperty(field.Name);
                if (Forgotten(soul, state.GetDouble(), nowMs))
                {
                    (dropped ??= []).Add((soul, field.Name));
                    continue;
                }
                if (await CheckKey(soul, field.Name, field.Value, state) is { } error) return new Verdict(error, new HashSet<(string, string)>());
            }
        }
        return dropped is null ? Verdict.Pass : new Verdict(null, dropped);
    }

    /// <summary>Souls any rule applies to; the others (most of an app's data) cost nothing.</summary>
    public static bool NeedsCheck(string soul) => soul.Contains('~', StringComparison.Ordinal) || soul.Contains('#', StringComparison.Ordinal) ||
        soul.Contains("<?", StringComparison.Ordinal);

    private static bool Forgotten(string soul, double state, double nowMs)
    {
        var at = soul.IndexOf("<?", StringComparison.Ordinal);
        if (at < 0) return false;
        var seconds = SeaCertificate.LeadingFloat(soul[(at + 2)..]);
        return seconds is > 0 or < 0 && state < nowMs - seconds.Value * 1000;
    }

    private async Task<string?> CheckKey(string soul, string key, JsonElement value, JsonElement state)
    {
        if (soul == "~@") return !Truthy(value) ? "Data must exist!" : LinkOf(value) == "~@" + key ? null : "Alias not same!";
        if (soul.StartsWith("~@", StringComparison.Ordinal)) return !Truthy(value) ? "Alias must exist!" : LinkOf(value) == key ? null : "Alias not same!";
        if (SeaSignature.PubOf(soul) is { } pub) return await CheckSigned(soul, key, value, state, pub);
        if (soul.Contains('#', StringComparison.Ordinal)) return HashMatches(key, value) ? null : "Data hash not same as hash!";
        return null;
    }

    private async Task<string?> CheckSigned(string soul, string key, JsonElement value, JsonElement state, string pub)
    {
        if (key == "pub" && soul == "~" + pub)
            return value.ValueKind == JsonValueKind.String && value.GetString() == pub ? null : "Account not same!";
        if (Signed(value) is not { } raw) return "Unverified data.";
        using (raw)
        {
            var envelope = raw.RootElement;
            var signer = envelope.TryGetProperty("*", out var star) && star.ValueKind == JsonValueKind.String ? star.GetString()! : pub;
            if (!(envelope.TryGetProperty(":", out var inner)
                    ? SeaSignature.Verify(signer, SignedText(soul, key, inner, state), envelope.GetProperty("~").GetString()!)
                    : SeaLegacy.Verifies(envelope, signer, soul, key, state.GetDouble())))
                return "Unverified data.";
            if (envelope.TryGetProperty("+", out var certificate))
                return await SeaCertificate.Check(certificate, pub, signer, soul, key, state.GetDouble(), Blocked);
            // Signed by another key without a certificate from the owner: gun's relay lets this through; nothing here does.
            return signer == pub ? null : "Unverified data.";
        }
    }

    /// <summary>As JavaScript wrote it when signing: JSON.stringify of the parsed value and state, whatever text came on the wire.</summary>
    private static string SignedText(string soul, string key, JsonElement inner, JsonElement state) =>
        "{\"#\":" + JsJson.Quote(soul) + ",\".\":" + JsJson.Quote(key) + ",\":\":" + JsJson.Write(inner) + ",\">\":" + JsJson.Number(state.GetDouble()) + "}";

    /// <summary>
    /// A signed value: a string holding <c>{":": value, "~": signature, ...}</c> (optionally prefixed <c>SEA</c>), or
    /// SEA's format from before 2019, <c>SEA{"m": …, "s": …}</c> (<see cref="SeaLegacy"/>).
    /// </summary>
    private static JsonDocument? Signed(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        var text = value.GetString()!;
        if (text.StartsWith("SEA{", StringComparison.Ordinal)) text = text[3..];
        if (!text.StartsWith('{')) return null;
        try
        {
            var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(":", out _) && root.TryGetProperty("~", out var sig) && sig.ValueKind == JsonValueKind.String)
                return document;
            if (SeaLegacy.IsEnvelope(root)) return document;
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary>Whether the write block lists the certificant (with 1 or true, signed or plain).</summary>
    private async Task<bool> Blocked(SeaWriteBlock block, string certificant)
    {
        var soul = block.Soul;
        if (block.LinkKey is { } linkKey)
        {
            if (await readField(soul, linkKey) is not { } link || LinkOf(Unpacked(link)) is not { } linked) return false;
            soul = linked;
        }
        if (await readField(soul, certificant) is not { } entry) return false;
        var listed = Unpacked(entry);
        return listed.ValueKind == JsonValueKind.True || (listed.ValueKind == JsonValueKind.Number && listed.GetDouble() == 1);
    }

    /// <summary>A stored value as SEA hands it to readers: the signed value's inner value, or the value itself.</summary>
    private static JsonElement Unpacked(JsonElement value)
    {
        if (Signed(value) is not { } raw) return value;
        // Write blocks came with certificates, after SEA's format from before 2019: such a value is left as it is.
        using (raw) return raw.RootElement.TryGetProperty(":", out var inner) ? inner.Clone() : value;
    }

    /// <summary><c>SEA.work(value, {name: 'SHA-256'})</c> (base64, or hex) equals the last <c>#</c>-part of the key.</summary>
    private static bool HashMatches(string key, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : JsJson.Write(value);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var expected = key[(key.LastIndexOf('#') + 1)..];
        return expected == Convert.ToBase64String(hash) || string.Equals(expected, Convert.ToHexString(hash), StringComparison.OrdinalIgnoreCase);
    }

    private static string? LinkOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("#", out var soul) && soul.ValueKind == JsonValueKind.String &&
        value.EnumerateObject().Count() == 1 ? soul.GetString() : null;

    /// <summary>JavaScript truthiness of a JSON value.</summary>
    private static bool Truthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        _ => true,
    };
}
