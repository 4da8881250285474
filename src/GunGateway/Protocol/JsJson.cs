using System.Text;

namespace OrleansSync.GunGateway.Protocol;

/// <summary>
/// Strings as JavaScript's <c>JSON.stringify</c> writes them: only quotes, backslashes, control characters and lone
/// surrogates are escaped (System.Text.Json escapes far more). SEA signs the JavaScript text, so the relay must
/// rebuild it byte for byte.
/// </summary>
public static class JsJson
{
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
