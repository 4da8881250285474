using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// Strings as JavaScript's <c>JSON.stringify</c> writes them: only quotes, backslashes, control characters and lone
/// surrogates are escaped (System.Text.Json escapes far more). SEA signs the JavaScript text, so the relay must
/// rebuild it byte for byte.
/// </summary>
public static class JsJson
{
    /// <summary>A JSON value as <c>JSON.stringify(JSON.parse(text))</c> writes it (objects keep their order of keys).</summary>
    public static string Write(JsonElement value)
    {
        var text = new StringBuilder();
        Write(value, text);
        return text.ToString();
    }

    private static void Write(JsonElement value, StringBuilder text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(Quote(value.GetString()!));
                break;
            case JsonValueKind.Number:
                text.Append(Number(value.GetDouble()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first) text.Append(',');
                    first = false;
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.Object:
                text.Append('{');
                var firstKey = true;
                // JavaScript objects list integer-like keys first, ascending; then the others in the order they came.
                var properties = value.EnumerateObject().ToList();
                foreach (var property in properties.Where(p => IsIndex(p.Name)).OrderBy(p => ulong.Parse(p.Name, CultureInfo.InvariantCulture))
                             .Concat(properties.Where(p => !IsIndex(p.Name))))
                {
                    if (!firstKey) text.Append(',');
                    firstKey = false;
                    text.Append(Quote(property.Name)).Append(':');
                    Write(property.Value, text);
                }
                text.Append('}');
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static bool IsIndex(string key) =>
        key.Length is > 0 and <= 10 && key.All(char.IsAsciiDigit) && (key == "0" || key[0] != '0') && ulong.Parse(key, CultureInfo.InvariantCulture) < uint.MaxValue;

    /// <summary>A number as JavaScript writes it (ECMAScript Number::toString): shortest digits, exponent only below 1e-6 or from 1e21.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return "null";
        if (value == 0) return "0";
        var negative = value < 0;
        // .NET's round-trip format gives the shortest digits; only the layout differs from JavaScript's.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(shortest);
        var k = digits.Length;
        var n = exponent;
        string text;
        if (k <= n && n <= 21) text = digits + new string('0', n - k);
        else if (0 < n && n <= 21) text = digits[..n] + "." + digits[n..];
        else if (-6 < n && n <= 0) text = "0." + new string('0', -n) + digits;
        else
        {
            var e = n - 1;
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            text = mantissa + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }
        return negative ? "-" + text : text;
    }

    /// <summary>The significant digits of a positive number's text and n such that the value is 0.digits × 10^n.</summary>
    private static (string Digits, int N) Decompose(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : "";
        var all = whole + fraction;
        var n = whole.Length + exponent;
        var leading = all.Length - all.TrimStart('0').Length;
        all = all.TrimStart('0');
        n -= leading;
        all = all.TrimEnd('0');
        return (all.Length == 0 ? "0" : all, n);
    }

    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ' || (char.IsSurrogate(c) && !IsPaired(value, i))) text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
            if (char.IsHighSurrogate(c) && IsPaired(value, i)) text.Append(value[++i]);
        }
        return text.Append('"').ToString();
    }

    private static bool IsPaired(string value, int i) =>
        char.IsHighSurrogate(value[i]) ? i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
        : i > 0 && char.IsHighSurrogate(value[i - 1]);
}
